"""Internal admins review partner requests: list, approve, reject.

Approval creates, in one transaction, the partner organization (from the request's STEP code),
its Partner Super Admin (the requester, pending activation) and the activation mail; rejection
mails the reason. Racing reviews of one request end one way: the review is a conditional UPDATE
``… WHERE status = 'PENDING'`` and only the transaction that changed the row goes on; the others
get ``ALREADY_REVIEWED``. Two requests for one STEP code cannot both become organizations: the
unique ``organization.step_code_id`` refuses the second.
"""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization, PartnerRequest, User
from domain.accounts import repository as accounts
from domain.accounts.mailing import send_activation, send_mail
from domain.accounts.validation import REASON_MAX, clean_text
from domain.audit.service import record_by
from domain.authz.policy import GlobalAction, require_global
from domain.authz.principal import Principal
from domain.authz.scope import parse_id
from domain.context import RequestMeta
from domain.dependencies import MailingStoreDeps, StoreDeps
from domain.enums import OrganizationType, PartnerRequestStatus, StepCodeStatus
from domain.errors import NotFound, UserError, Validator
from domain.organizations.service import (
    OrganizationDetails,
    attach_request_consents,
    create_organization_with_super_admin,
)
from domain.partners import repository
from domain.partners.errors import ALREADY_REVIEWED, EMAIL_ALREADY_REGISTERED, INVALID_STEP_CODE
from kit.clock import utcnow
from kit.pagination import Page, make_page, page_request
from mail.catalog import PartnerRequestApprovedMail, PartnerRequestRejectedMail

DEFAULT_PAGE_SIZE = 20


def parse_request_id(raw: str, field: tuple[str, ...] = ("id",)) -> uuid.UUID:
    return parse_id(raw, "partner request", field)


async def list_partner_requests(
    deps: StoreDeps,
    principal: Principal,
    *,
    status: PartnerRequestStatus | None,
    first: int | None,
    after: str | None,
) -> Page[PartnerRequest]:
    """A page of requests, oldest first. Raises ``InvalidCursor``/``ValueError`` for bad
    arguments, ``Forbidden`` for anyone but an internal admin."""
    require_global(principal, GlobalAction.PARTNER_REQUEST_REVIEW)
    request = page_request(
        first, after, default=DEFAULT_PAGE_SIZE, maximum=deps.settings.graphql_max_page_size
    )
    async with deps.db.read_session() as session:
        rows = await repository.list_requests(
            session, status=status, after=request.after, limit=request.first + 1
        )
    return make_page(rows, request)


async def _claim(
    session: AsyncSession,
    request_id: uuid.UUID,
    status: PartnerRequestStatus,
    principal: Principal,
    reason: str | None = None,
) -> PartnerRequest:
    """Move the request from PENDING to ``status``, or explain why not."""
    won = await repository.mark_reviewed(
        session,
        request_id,
        status=status,
        reviewer_id=principal.user_id,
        now=utcnow(),
        reason=reason,
    )
    request = await repository.request_by_id(session, request_id)
    if request is None:
        raise NotFound("partner request", ("id",))
    if not won:
        raise UserError(
            ALREADY_REVIEWED,
            f"This partner request was already {request.status.value.lower()}.",
            ("id",),
        )
    return request


async def approve_partner_request(
    deps: MailingStoreDeps, principal: Principal, meta: RequestMeta, raw_id: str
) -> PartnerRequest:
    require_global(principal, GlobalAction.PARTNER_REQUEST_REVIEW)
    request_id = parse_request_id(raw_id)
    code_key = await deps.secrets.account_code_key()  # before the transaction
    async with deps.db.unit_of_work() as session:
        request = await _claim(session, request_id, PartnerRequestStatus.APPROVED, principal)
        # Locked: a revocation of the code (step_code_admin) waits for us or we for it.
        code = await repository.lock_step_code(session, request.step_code_id)
        if (
            code is None
            or code.status is not StepCodeStatus.ACTIVE
            or await repository.step_code_in_use(session, code.id)
        ):
            raise UserError(
                INVALID_STEP_CODE,
                "The request's STEP partner code was revoked or already belongs to a partner "
                "organization; reject the request instead.",
                ("id",),
            )
        user, organization = await _create_partner(session, request)
        await repository.set_request_organization(session, request.id, organization.id)
        await attach_request_consents(
            session, partner_request_id=request.id, user_id=user.id, organization_id=organization.id
        )
        await send_activation(
            session,
            deps.settings,
            user=user,
            code_key=code_key,
            organization_name=organization.name,
            compose=lambda link: PartnerRequestApprovedMail(
                first_name=user.first_name,
                company_name=organization.name,
                organization_name=organization.name,
                activation_url=link.activation_url,
                code=link.code,
                expires_in=link.expires_in,
            ),
            guarded=False,  # an internal admin's decision, not a stranger's form
        )
        await record_by(
            session,
            principal,
            meta,
            "partner_request.approved",
            target=("partner_request", request.id),
            organization_id=organization.id,
            details={"step_partner_code": request.step_partner_code, "user_id": str(user.id)},
        )
        return await _reloaded(session, request.id)


async def _create_partner(
    session: AsyncSession, request: PartnerRequest
) -> tuple[User, Organization]:
    email_taken = UserError(
        EMAIL_ALREADY_REGISTERED,
        "The requester's email already has an account; reject the request and ask for another "
        "address.",
        ("id",),
    )
    existing = await accounts.user_by_email(session, request.contact_email)
    if existing is not None:
        # An account that only invitations made is nobody's yet: the requester's now, named as
        # the request says; its invitations stay offers (domain.members.acceptance).
        claimed = await accounts.lock_unclaimed_account(session, existing.id)
        if claimed is None:
            raise email_taken
        claimed.first_name, claimed.last_name = request.first_name, request.last_name
        user = claimed
    else:
        try:
            user = await accounts.add_pending_user(
                session,
                email=request.contact_email,
                first_name=request.first_name,
                last_name=request.last_name,
            )
        except accounts.EmailTaken as exc:
            raise email_taken from exc
    details = OrganizationDetails(
        name=request.company_name,
        country=request.country,
        address=request.address,
        phone=request.phone,
    )
    try:
        async with session.begin_nested():
            organization = await create_organization_with_super_admin(
                session,
                kind=OrganizationType.PARTNER,
                details=details,
                super_admin=user,
                step_code_id=request.step_code_id,
            )
    except IntegrityError as exc:
        # Another request for the same code was approved a moment ago (unique step_code_id).
        raise UserError(
            INVALID_STEP_CODE,
            "The request's STEP partner code already belongs to a partner organization.",
            ("id",),
        ) from exc
    return user, organization


async def reject_partner_request(
    deps: MailingStoreDeps, principal: Principal, meta: RequestMeta, raw_id: str, reason: str
) -> PartnerRequest:
    require_global(principal, GlobalAction.PARTNER_REQUEST_REVIEW)
    v = Validator()
    cleaned = clean_text(v, "reason", reason, label="Reason", max_length=REASON_MAX, multiline=True)
    v.raise_if_any()
    assert cleaned is not None
    request_id = parse_request_id(raw_id)
    async with deps.db.unit_of_work() as session:
        request = await _claim(
            session, request_id, PartnerRequestStatus.REJECTED, principal, reason=cleaned
        )
        await send_mail(
            session,
            deps.settings,
            mail=PartnerRequestRejectedMail(
                first_name=request.first_name, company_name=request.company_name, reason=cleaned
            ),
            to=request.contact_email,
            guarded=False,
        )
        await record_by(
            session,
            principal,
            meta,
            "partner_request.rejected",
            target=("partner_request", request.id),
            details={"step_partner_code": request.step_partner_code},
        )
        return await _reloaded(session, request.id)


async def _reloaded(session: AsyncSession, request_id: uuid.UUID) -> PartnerRequest:
    request = await repository.request_by_id(session, request_id)
    assert request is not None
    return request
