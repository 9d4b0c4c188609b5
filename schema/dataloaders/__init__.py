"""Per-request DataLoaders, named ``<thing>_by_<key>``.

Each batch opens its own short read session (an AsyncSession cannot serve concurrent resolvers) and
returns results aligned with the keys, ``None`` where a key has no row.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from db.models import (
    Area,
    Device,
    Location,
    Membership,
    Organization,
    PartnerAccessExtension,
    PartnerMapping,
    ServiceAccount,
    StepPartnerCode,
    TechnicianAssignment,
    User,
)
from domain.devices import repository as devices_repo
from domain.devices.types import DeviceCounts
from domain.licenses.repository import LicenseRow, SummaryCounts
from domain.locations import repository as locations_repo
from domain.scim import repository as scim_repo
from kit.pagination import PageRequest
from runtime import Services
from schema.dataloaders import admin as admin_loaders
from schema.dataloaders import licenses as license_loaders
from schema.dataloaders import partners as partner_loaders
from schema.dataloaders import service_accounts as service_account_loaders

K = TypeVar("K")
V = TypeVar("V")


def _by_id(rows: Sequence[Any], keys: Sequence[uuid.UUID]) -> list[Any]:
    found = {row.id: row for row in rows}
    return [found.get(key) for key in keys]


class Loaders:
    def __init__(self, services: Services) -> None:
        self._services = services
        self.organization_by_id: DataLoader[uuid.UUID, Organization | None] = self._loader(
            lambda s, keys: self._rows_by_id(s, Organization, keys)
        )
        self.user_by_id: DataLoader[uuid.UUID, User | None] = self._loader(
            lambda s, keys: self._rows_by_id(s, User, keys)
        )
        # service accounts by their backing account (schema/dataloaders/service_accounts.py)
        self.service_account_by_user_id: DataLoader[uuid.UUID, ServiceAccount | None] = (
            self._loader(service_account_loaders.by_user_id)
        )
        # licenses (schema/dataloaders/licenses.py)
        self.license_summary_by_organization_id: DataLoader[uuid.UUID, SummaryCounts] = (
            self._loader(license_loaders.summaries_by_organization(services.settings))
        )
        self.licenses_by_device_id: DataLoader[uuid.UUID, list[LicenseRow]] = self._loader(
            license_loaders.licenses_by_device
        )
        self.devices_by_license_id: DataLoader[tuple[uuid.UUID, PageRequest], list[Device]] = (
            self._loader(license_loaders.devices_by_license)
        )
        # Locations, areas and devices. These load by key only: the resolver that holds the
        # parent object has already checked that the viewer may read its organization, and a
        # parent's children are in the same organization.
        self.location_by_id: DataLoader[uuid.UUID, Location | None] = self._loader(
            lambda s, keys: self._rows_by_id(s, Location, keys)
        )
        self.area_by_id: DataLoader[uuid.UUID, Area | None] = self._loader(
            lambda s, keys: self._rows_by_id(s, Area, keys)
        )
        self.device_by_id: DataLoader[uuid.UUID, Device | None] = self._loader(
            lambda s, keys: self._rows_by_id(s, Device, keys)
        )
        # Keyed by (parent id, page): one page of children per parent, in one statement.
        self.areas_by_location_id: DataLoader[tuple[uuid.UUID, PageRequest], list[Area]] = (
            self._loader(locations_repo.areas_by_location)
        )
        self.area_count_by_location_id: DataLoader[uuid.UUID, int] = self._loader(
            locations_repo.area_count_by_location
        )
        # For lists of organizations (the partner landing's customers): counts per organization.
        self.location_count_by_organization_id: DataLoader[uuid.UUID, int] = self._loader(
            locations_repo.location_count_by_organization
        )
        self.devices_by_location_id: DataLoader[tuple[uuid.UUID, PageRequest], list[Device]] = (
            self._loader(devices_repo.devices_by_location)
        )
        self.devices_by_area_id: DataLoader[tuple[uuid.UUID, PageRequest], list[Device]] = (
            self._loader(devices_repo.devices_by_area)
        )
        self.device_counts_by_organization_id: DataLoader[uuid.UUID, DeviceCounts] = self._loader(
            devices_repo.device_counts_by_organization
        )
        self.device_counts_by_location_id: DataLoader[uuid.UUID, DeviceCounts] = self._loader(
            devices_repo.device_counts_by_location
        )
        self.device_counts_by_area_id: DataLoader[uuid.UUID, DeviceCounts] = self._loader(
            devices_repo.device_counts_by_area
        )
        # partners (schema/dataloaders/partners.py)
        self.technicians_by_mapping_id: DataLoader[
            tuple[uuid.UUID, PageRequest], list[TechnicianAssignment]
        ] = self._loader(partner_loaders.technicians_by_mapping)
        self.technician_count_by_mapping_id: DataLoader[uuid.UUID, int] = self._loader(
            partner_loaders.technician_counts_by_mapping
        )
        self.pending_extension_by_mapping_id: DataLoader[
            uuid.UUID, PartnerAccessExtension | None
        ] = self._loader(partner_loaders.pending_extensions_by_mapping)
        # the internal admin console (schema/dataloaders/admin.py)
        self.member_count_by_organization_id: DataLoader[uuid.UUID, int] = self._loader(
            admin_loaders.member_counts_by_organization
        )
        self.super_admin_by_organization_id: DataLoader[uuid.UUID, User | None] = self._loader(
            admin_loaders.super_admins_by_organization
        )
        self.customer_count_by_partner_id: DataLoader[uuid.UUID, int] = self._loader(
            admin_loaders.customer_counts_by_partner
        )
        self.mapping_count_by_organization_id: DataLoader[uuid.UUID, int] = self._loader(
            admin_loaders.mapping_counts_by_organization
        )
        self.memberships_by_organization_id: DataLoader[
            tuple[uuid.UUID, PageRequest], list[Membership]
        ] = self._loader(admin_loaders.memberships_by_organization)
        self.mappings_by_customer_id: DataLoader[
            tuple[uuid.UUID, PageRequest], list[PartnerMapping]
        ] = self._loader(admin_loaders.mappings_by_customer)
        self.mappings_by_partner_id: DataLoader[
            tuple[uuid.UUID, PageRequest], list[PartnerMapping]
        ] = self._loader(admin_loaders.mappings_by_partner)
        self.step_code_by_id: DataLoader[uuid.UUID, StepPartnerCode | None] = self._loader(
            lambda s, keys: self._rows_by_id(s, StepPartnerCode, keys)
        )
        self.organization_by_step_code_id: DataLoader[uuid.UUID, Organization | None] = (
            self._loader(admin_loaders.organizations_by_step_code)
        )
        # whether the organization's directory (SCIM) manages a membership
        self.provisioned_by_membership_id: DataLoader[uuid.UUID, bool] = self._loader(
            scim_repo.provisioned_memberships
        )

    def _loader(
        self, fetch: Callable[[AsyncSession, list[K]], Awaitable[list[V]]]
    ) -> DataLoader[K, V]:
        async def batch(keys: list[K]) -> list[V]:
            async with self._services.db.read_session() as session:
                return await fetch(session, keys)

        return DataLoader(load_fn=batch)

    @staticmethod
    async def _rows_by_id(session: AsyncSession, model: Any, keys: list[uuid.UUID]) -> list[Any]:
        rows = (await session.scalars(select(model).where(model.id.in_(keys)))).all()
        return _by_id(rows, keys)
