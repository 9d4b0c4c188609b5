from datetime import datetime
from typing import Any, Optional, Union

from .accept_invitation import AcceptInvitation
from .accept_partner_invitation import AcceptPartnerInvitation
from .account import Account
from .add_step_code import AddStepCode
from .admin_organization import AdminOrganization
from .admin_organization_name import AdminOrganizationName
from .admin_organizations import AdminOrganizations
from .approve_partner_access_extension import ApprovePartnerAccessExtension
from .approve_partner_request import ApprovePartnerRequest
from .assign_technician import AssignTechnician
from .attach_license import AttachLicense
from .audit_log import AuditLog
from .base_client import ConsoleBaseClient
from .base_model import UNSET, UnsetType
from .cancel_invitation import CancelInvitation
from .change_member_role import ChangeMemberRole
from .change_password import ChangePassword
from .check_sso_connection import CheckSsoConnection
from .claim_sso_domain import ClaimSsoDomain
from .configure_sso import ConfigureSso
from .confirm_totp_enrollment import ConfirmTotpEnrollment
from .create_area import CreateArea
from .create_location import CreateLocation
from .create_managed_customer import CreateManagedCustomer
from .create_scim_token import CreateScimToken
from .create_service_account import CreateServiceAccount
from .create_webhook_endpoint import CreateWebhookEndpoint
from .decline_invitation import DeclineInvitation
from .decline_partner_access_extension import DeclinePartnerAccessExtension
from .decline_partner_invitation import DeclinePartnerInvitation
from .delete_area import DeleteArea
from .delete_location import DeleteLocation
from .delete_organization import DeleteOrganization
from .delete_webhook_endpoint import DeleteWebhookEndpoint
from .detach_license import DetachLicense
from .device_page import DevicePage
from .devices import Devices
from .disable_totp import DisableTotp
from .end_other_sessions import EndOtherSessions
from .end_partner_mapping import EndPartnerMapping
from .end_session import EndSession
from .enums import LicenseStatus, OrganizationStatus, OrganizationType, StepCodeStatus
from .finish_passkey_registration import FinishPasskeyRegistration
from .frame import Frame
from .home import Home
from .import_step_codes import ImportStepCodes
from .input_types import (
    AcceptInvitationInput,
    AddStepPartnerCodesInput,
    AttachLicenseInput,
    CancelInvitationInput,
    ChangeMemberRoleInput,
    ChangePasswordInput,
    ClaimDomainInput,
    ConfigureSingleSignOnInput,
    ConfirmTotpEnrollmentInput,
    CreateAreaInput,
    CreateLocationInput,
    CreateManagedCustomerInput,
    CreateServiceAccountInput,
    CreateWebhookEndpointInput,
    DeclineInvitationInput,
    DeleteAreaInput,
    DeleteLocationInput,
    DeleteOrganizationInput,
    DetachLicenseInput,
    DeviceFilter,
    EndSessionInput,
    FinishPasskeyRegistrationInput,
    ImportStepPartnerCodesInput,
    InviteMemberInput,
    InvitePartnerInput,
    IssueLicenseKeysInput,
    MoveAreaInput,
    MoveDeviceInput,
    PartnerMappingInput,
    ReactivateOrganizationInput,
    RedeemLicenseKeyInput,
    RegisterDeviceInput,
    RemoveDeviceInput,
    RemoveMemberInput,
    RemovePasskeyInput,
    RenameAreaInput,
    RenameDeviceInput,
    RenamePasskeyInput,
    ReplayWebhookDeliveryInput,
    RequestPartnerAccessExtensionInput,
    ResendInvitationInput,
    RevokeStepPartnerCodeInput,
    ServiceAccountIdInput,
    SetOrganizationPasskeyRequirementInput,
    SetOrganizationTwoFactorRequirementInput,
    StartTotpEnrollmentInput,
    SuspendOrganizationInput,
    TechnicianInput,
    TransferSuperAdminInput,
    TwoFactorProofInput,
    UpdateAdminNotificationSettingsInput,
    UpdateLocationInput,
    UpdateOrganizationInput,
    UpdatePartnerAccessInput,
    UpdateProfileInput,
    UpdateWebhookEndpointInput,
    WebhookEndpointIdInput,
)
from .invite_member import InviteMember
from .invite_partner import InvitePartner
from .issue_license_keys import IssueLicenseKeys
from .license_keys_page import LicenseKeysPage
from .licenses import Licenses
from .location_page import LocationPage
from .locations import Locations
from .move_area import MoveArea
from .move_device import MoveDevice
from .partner_customer import PartnerCustomer
from .partner_invitations import PartnerInvitations
from .provisioning import Provisioning
from .reactivate_organization import ReactivateOrganization
from .redeem_license_key import RedeemLicenseKey
from .regenerate_recovery_codes import RegenerateRecoveryCodes
from .register_device import RegisterDevice
from .register_device_page import RegisterDevicePage
from .reject_partner_request import RejectPartnerRequest
from .reject_partner_request_page import RejectPartnerRequestPage
from .remove_device import RemoveDevice
from .remove_member import RemoveMember
from .remove_passkey import RemovePasskey
from .remove_sso import RemoveSso
from .remove_sso_domain import RemoveSsoDomain
from .rename_area import RenameArea
from .rename_device import RenameDevice
from .rename_passkey import RenamePasskey
from .replay_webhook_delivery import ReplayWebhookDelivery
from .request_partner_access_extension import RequestPartnerAccessExtension
from .resend_invitation import ResendInvitation
from .revoke_scim_token import RevokeScimToken
from .revoke_service_account import RevokeServiceAccount
from .revoke_step_code import RevokeStepCode
from .rotate_service_account_secret import RotateServiceAccountSecret
from .rotate_webhook_secret import RotateWebhookSecret
from .service_accounts import ServiceAccounts
from .set_passkey_requirement import SetPasskeyRequirement
from .set_two_factor_requirement import SetTwoFactorRequirement
from .settings import Settings
from .single_sign_on_page import SingleSignOnPage
from .start_passkey_registration import StartPasskeyRegistration
from .start_totp_enrollment import StartTotpEnrollment
from .step_codes import StepCodes
from .support_partner import SupportPartner
from .suspend_organization import SuspendOrganization
from .transfer_super_admin import TransferSuperAdmin
from .unassign_technician import UnassignTechnician
from .update_admin_notification_settings import UpdateAdminNotificationSettings
from .update_location import UpdateLocation
from .update_organization import UpdateOrganization
from .update_partner_access import UpdatePartnerAccess
from .update_profile import UpdateProfile
from .update_webhook_endpoint import UpdateWebhookEndpoint
from .users import Users
from .vendor_audit_log import VendorAuditLog
from .verify_sso_domain import VerifySsoDomain
from .webhook_endpoint_detail import WebhookEndpointDetail
from .webhook_endpoints import WebhookEndpoints
from .webhook_event_types import WebhookEventTypes


def gql(q: str) -> str:
    return q


class PortalApi(ConsoleBaseClient):
    async def account(self, **kwargs: Any) -> Account:
        query = gql("""
            query Account {
              viewer {
                ...PageFrame
                totpEnabled
                profile: user {
                  id
                  email
                  firstName
                  lastName
                }
                passkeys {
                  id
                  name
                  createdAt
                  lastUsedAt
                  synced
                }
                sessions {
                  id
                  clientName
                  signedInAt
                  lastSeenAt
                  clientAddress
                  userAgent
                  twoFactor
                  current
                }
              }
              myInvitations {
                id
                role
                expiresAt
                organization {
                  name
                }
                invitedBy {
                  displayName
                  email
                }
              }
              landing {
                __typename
                ... on AdminLanding {
                  notificationSettings {
                    partnerRequestMail
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Account", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Account.model_validate(data)

    async def update_profile(
        self, input: UpdateProfileInput, **kwargs: Any
    ) -> UpdateProfile:
        query = gql("""
            mutation UpdateProfile($input: UpdateProfileInput!) {
              updateProfile(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="UpdateProfile", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return UpdateProfile.model_validate(data)

    async def change_password(
        self, input: ChangePasswordInput, **kwargs: Any
    ) -> ChangePassword:
        query = gql("""
            mutation ChangePassword($input: ChangePasswordInput!) {
              changePassword(input: $input) {
                changed
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="ChangePassword", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ChangePassword.model_validate(data)

    async def start_totp_enrollment(
        self, input: StartTotpEnrollmentInput, **kwargs: Any
    ) -> StartTotpEnrollment:
        query = gql("""
            mutation StartTotpEnrollment($input: StartTotpEnrollmentInput!) {
              startTotpEnrollment(input: $input) {
                secret
                otpauthUri
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="StartTotpEnrollment",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return StartTotpEnrollment.model_validate(data)

    async def confirm_totp_enrollment(
        self, input: ConfirmTotpEnrollmentInput, **kwargs: Any
    ) -> ConfirmTotpEnrollment:
        query = gql("""
            mutation ConfirmTotpEnrollment($input: ConfirmTotpEnrollmentInput!) {
              confirmTotpEnrollment(input: $input) {
                recoveryCodes
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="ConfirmTotpEnrollment",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return ConfirmTotpEnrollment.model_validate(data)

    async def disable_totp(
        self, input: TwoFactorProofInput, **kwargs: Any
    ) -> DisableTotp:
        query = gql("""
            mutation DisableTotp($input: TwoFactorProofInput!) {
              disableTotp(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="DisableTotp", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DisableTotp.model_validate(data)

    async def regenerate_recovery_codes(
        self, input: TwoFactorProofInput, **kwargs: Any
    ) -> RegenerateRecoveryCodes:
        query = gql("""
            mutation RegenerateRecoveryCodes($input: TwoFactorProofInput!) {
              regenerateRecoveryCodes(input: $input) {
                recoveryCodes
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="RegenerateRecoveryCodes",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RegenerateRecoveryCodes.model_validate(data)

    async def accept_invitation(
        self, input: AcceptInvitationInput, **kwargs: Any
    ) -> AcceptInvitation:
        query = gql("""
            mutation AcceptInvitation($input: AcceptInvitationInput!) {
              acceptInvitation(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="AcceptInvitation",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return AcceptInvitation.model_validate(data)

    async def decline_invitation(
        self, input: DeclineInvitationInput, **kwargs: Any
    ) -> DeclineInvitation:
        query = gql("""
            mutation DeclineInvitation($input: DeclineInvitationInput!) {
              declineInvitation(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="DeclineInvitation",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return DeclineInvitation.model_validate(data)

    async def end_session(self, input: EndSessionInput, **kwargs: Any) -> EndSession:
        query = gql("""
            mutation EndSession($input: EndSessionInput!) {
              endSession(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="EndSession", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return EndSession.model_validate(data)

    async def end_other_sessions(self, **kwargs: Any) -> EndOtherSessions:
        query = gql("""
            mutation EndOtherSessions {
              endOtherSessions {
                endedCount
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query,
            operation_name="EndOtherSessions",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return EndOtherSessions.model_validate(data)

    async def start_passkey_registration(
        self, **kwargs: Any
    ) -> StartPasskeyRegistration:
        query = gql("""
            mutation StartPasskeyRegistration {
              startPasskeyRegistration {
                optionsJson
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query,
            operation_name="StartPasskeyRegistration",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return StartPasskeyRegistration.model_validate(data)

    async def finish_passkey_registration(
        self, input: FinishPasskeyRegistrationInput, **kwargs: Any
    ) -> FinishPasskeyRegistration:
        query = gql("""
            mutation FinishPasskeyRegistration($input: FinishPasskeyRegistrationInput!) {
              finishPasskeyRegistration(input: $input) {
                passkey {
                  id
                  name
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="FinishPasskeyRegistration",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return FinishPasskeyRegistration.model_validate(data)

    async def rename_passkey(
        self, input: RenamePasskeyInput, **kwargs: Any
    ) -> RenamePasskey:
        query = gql("""
            mutation RenamePasskey($input: RenamePasskeyInput!) {
              renamePasskey(input: $input) {
                passkey {
                  id
                  name
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="RenamePasskey", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RenamePasskey.model_validate(data)

    async def remove_passkey(
        self, input: RemovePasskeyInput, **kwargs: Any
    ) -> RemovePasskey:
        query = gql("""
            mutation RemovePasskey($input: RemovePasskeyInput!) {
              removePasskey(input: $input) {
                removedPasskeyId
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="RemovePasskey", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RemovePasskey.model_validate(data)

    async def reject_partner_request_page(
        self, **kwargs: Any
    ) -> RejectPartnerRequestPage:
        query = gql("""
            query RejectPartnerRequestPage {
              viewer {
                ...PageFrame
              }
              partnerRequests(status: PENDING, first: 100) {
                edges {
                  node {
                    ...PendingPartnerRequest
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }

            fragment PendingPartnerRequest on PartnerRequest {
              id
              stepPartnerCode
              companyName
              country
              contactEmail
              contactFirstName
              contactLastName
              createdAt
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query,
            operation_name="RejectPartnerRequestPage",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RejectPartnerRequestPage.model_validate(data)

    async def approve_partner_request(
        self, id: str, **kwargs: Any
    ) -> ApprovePartnerRequest:
        query = gql("""
            mutation ApprovePartnerRequest($id: ID!) {
              approvePartnerRequest(id: $id) {
                partnerRequest {
                  id
                  companyName
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query,
            operation_name="ApprovePartnerRequest",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return ApprovePartnerRequest.model_validate(data)

    async def reject_partner_request(
        self, id: str, reason: str, **kwargs: Any
    ) -> RejectPartnerRequest:
        query = gql("""
            mutation RejectPartnerRequest($id: ID!, $reason: String!) {
              rejectPartnerRequest(id: $id, reason: $reason) {
                partnerRequest {
                  id
                  companyName
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"id": id, "reason": reason}
        response = await self.execute(
            query=query,
            operation_name="RejectPartnerRequest",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RejectPartnerRequest.model_validate(data)

    async def admin_organizations(
        self,
        first: int,
        after: Union[Optional[str], UnsetType] = UNSET,
        search: Union[Optional[str], UnsetType] = UNSET,
        type_: Union[Optional[OrganizationType], UnsetType] = UNSET,
        status: Union[Optional[OrganizationStatus], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> AdminOrganizations:
        query = gql("""
            query AdminOrganizations($first: Int!, $after: String, $search: String, $type: OrganizationType, $status: OrganizationStatus) {
              viewer {
                ...PageFrame
              }
              organizations(
                first: $first
                after: $after
                search: $search
                type: $type
                status: $status
              ) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                edges {
                  node {
                    id
                    type
                    status
                    name
                    country
                    createdAt
                    memberCount
                    superAdmin {
                      email
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {
            "first": first,
            "after": after,
            "search": search,
            "type": type_,
            "status": status,
        }
        response = await self.execute(
            query=query,
            operation_name="AdminOrganizations",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return AdminOrganizations.model_validate(data)

    async def admin_organization(self, id: str, **kwargs: Any) -> AdminOrganization:
        query = gql("""
            query AdminOrganization($id: ID!) {
              viewer {
                ...PageFrame
              }
              organization(id: $id) {
                id
                type
                status
                name
                country
                address
                phone
                createdAt
                activatedAt
                suspendedAt
                suspendedReason
                memberCount
                locationCount
                customerCount
                deviceCounts {
                  total
                  online
                  offline
                  pending
                }
                licenseSummary {
                  total
                  available
                  inUse
                  expiringSoon
                  expired
                }
                stepPartnerCode {
                  code
                }
                members(first: 25) {
                  pageInfo {
                    hasNextPage
                  }
                  edges {
                    node {
                      id
                      role
                      status
                      joinedAt
                      user {
                        id
                        email
                        firstName
                        lastName
                      }
                    }
                  }
                }
                partnerMappings(first: 25) {
                  pageInfo {
                    hasNextPage
                  }
                  edges {
                    node {
                      id
                      status
                      since
                      endedAt
                      partner {
                        id
                        name
                      }
                      customer {
                        id
                        name
                      }
                    }
                  }
                }
                organization {
                  auditEvents(first: 10) {
                    edges {
                      node {
                        id
                        occurredAt
                        action
                        actorEmail
                        targetType
                        clientAddress
                      }
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query,
            operation_name="AdminOrganization",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return AdminOrganization.model_validate(data)

    async def admin_organization_name(
        self, id: str, **kwargs: Any
    ) -> AdminOrganizationName:
        query = gql("""
            query AdminOrganizationName($id: ID!) {
              viewer {
                ...PageFrame
              }
              organization(id: $id) {
                id
                name
                status
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query,
            operation_name="AdminOrganizationName",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return AdminOrganizationName.model_validate(data)

    async def suspend_organization(
        self, input: SuspendOrganizationInput, **kwargs: Any
    ) -> SuspendOrganization:
        query = gql("""
            mutation SuspendOrganization($input: SuspendOrganizationInput!) {
              suspendOrganization(input: $input) {
                organization {
                  id
                  name
                  status
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="SuspendOrganization",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return SuspendOrganization.model_validate(data)

    async def reactivate_organization(
        self, input: ReactivateOrganizationInput, **kwargs: Any
    ) -> ReactivateOrganization:
        query = gql("""
            mutation ReactivateOrganization($input: ReactivateOrganizationInput!) {
              reactivateOrganization(input: $input) {
                organization {
                  id
                  name
                  status
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="ReactivateOrganization",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return ReactivateOrganization.model_validate(data)

    async def step_codes(
        self,
        first: int,
        after: Union[Optional[str], UnsetType] = UNSET,
        search: Union[Optional[str], UnsetType] = UNSET,
        status: Union[Optional[StepCodeStatus], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> StepCodes:
        query = gql("""
            query StepCodes($first: Int!, $after: String, $search: String, $status: StepCodeStatus) {
              viewer {
                ...PageFrame
              }
              stepPartnerCodes(first: $first, after: $after, search: $search, status: $status) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                edges {
                  node {
                    id
                    code
                    company
                    status
                    createdAt
                    organization {
                      id
                      name
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {
            "first": first,
            "after": after,
            "search": search,
            "status": status,
        }
        response = await self.execute(
            query=query, operation_name="StepCodes", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return StepCodes.model_validate(data)

    async def add_step_code(
        self, input: AddStepPartnerCodesInput, **kwargs: Any
    ) -> AddStepCode:
        query = gql("""
            mutation AddStepCode($input: AddStepPartnerCodesInput!) {
              addStepPartnerCodes(input: $input) {
                stepPartnerCodes {
                  id
                  code
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="AddStepCode", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return AddStepCode.model_validate(data)

    async def import_step_codes(
        self, input: ImportStepPartnerCodesInput, **kwargs: Any
    ) -> ImportStepCodes:
        query = gql("""
            mutation ImportStepCodes($input: ImportStepPartnerCodesInput!) {
              importStepPartnerCodes(input: $input) {
                report {
                  added
                  skipped
                  invalid
                  rows {
                    line
                    code
                    company
                    outcome
                    reason
                  }
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="ImportStepCodes", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ImportStepCodes.model_validate(data)

    async def revoke_step_code(
        self, input: RevokeStepPartnerCodeInput, **kwargs: Any
    ) -> RevokeStepCode:
        query = gql("""
            mutation RevokeStepCode($input: RevokeStepPartnerCodeInput!) {
              revokeStepPartnerCode(input: $input) {
                stepPartnerCode {
                  id
                  code
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="RevokeStepCode", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RevokeStepCode.model_validate(data)

    async def license_keys_page(self, **kwargs: Any) -> LicenseKeysPage:
        query = gql("""
            query LicenseKeysPage {
              viewer {
                ...PageFrame
              }
              products {
                key
                name
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="LicenseKeysPage", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return LicenseKeysPage.model_validate(data)

    async def issue_license_keys(
        self, input: IssueLicenseKeysInput, **kwargs: Any
    ) -> IssueLicenseKeys:
        query = gql("""
            mutation IssueLicenseKeys($input: IssueLicenseKeysInput!) {
              issueLicenseKeys(input: $input) {
                licenseKeys {
                  key
                  license {
                    id
                    termDays
                    seats
                    product {
                      key
                      name
                    }
                  }
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="IssueLicenseKeys",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return IssueLicenseKeys.model_validate(data)

    async def vendor_audit_log(
        self,
        first: int,
        after: Union[Optional[str], UnsetType] = UNSET,
        organization_id: Union[Optional[str], UnsetType] = UNSET,
        action: Union[Optional[str], UnsetType] = UNSET,
        actor_id: Union[Optional[str], UnsetType] = UNSET,
        since: Union[Optional[datetime], UnsetType] = UNSET,
        until: Union[Optional[datetime], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> VendorAuditLog:
        query = gql("""
            query VendorAuditLog($first: Int!, $after: String, $organizationId: ID, $action: String, $actorId: ID, $since: DateTime, $until: DateTime) {
              viewer {
                ...PageFrame
              }
              auditEvents(
                first: $first
                after: $after
                organizationId: $organizationId
                action: $action
                actorId: $actorId
                since: $since
                until: $until
              ) {
                pageInfo {
                  hasNextPage
                  endCursor
                }
                edges {
                  node {
                    id
                    occurredAt
                    action
                    actorId
                    actorEmail
                    organizationId
                    targetType
                    targetId
                    clientAddress
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {
            "first": first,
            "after": after,
            "organizationId": organization_id,
            "action": action,
            "actorId": actor_id,
            "since": since,
            "until": until,
        }
        response = await self.execute(
            query=query, operation_name="VendorAuditLog", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return VendorAuditLog.model_validate(data)

    async def update_admin_notification_settings(
        self, input: UpdateAdminNotificationSettingsInput, **kwargs: Any
    ) -> UpdateAdminNotificationSettings:
        query = gql("""
            mutation UpdateAdminNotificationSettings($input: UpdateAdminNotificationSettingsInput!) {
              updateAdminNotificationSettings(input: $input) {
                settings {
                  partnerRequestMail
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="UpdateAdminNotificationSettings",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return UpdateAdminNotificationSettings.model_validate(data)

    async def audit_log(
        self,
        first: int,
        after: Union[Optional[str], UnsetType] = UNSET,
        action: Union[Optional[str], UnsetType] = UNSET,
        actor_id: Union[Optional[str], UnsetType] = UNSET,
        since: Union[Optional[datetime], UnsetType] = UNSET,
        until: Union[Optional[datetime], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> AuditLog:
        query = gql("""
            query AuditLog($first: Int!, $after: String, $action: String, $actorId: ID, $since: DateTime, $until: DateTime) {
              viewer {
                ...PageFrame
                working: organization {
                  auditEvents(
                    first: $first
                    after: $after
                    action: $action
                    actorId: $actorId
                    since: $since
                    until: $until
                  ) {
                    pageInfo {
                      hasNextPage
                      endCursor
                    }
                    edges {
                      node {
                        id
                        occurredAt
                        action
                        actorEmail
                        actorServiceAccount {
                          name
                        }
                        targetType
                        clientAddress
                      }
                    }
                  }
                  members(first: 100) {
                    edges {
                      node {
                        user {
                          id
                          email
                        }
                      }
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {
            "first": first,
            "after": after,
            "action": action,
            "actorId": actor_id,
            "since": since,
            "until": until,
        }
        response = await self.execute(
            query=query, operation_name="AuditLog", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return AuditLog.model_validate(data)

    async def partner_customer(self, id: str, **kwargs: Any) -> PartnerCustomer:
        query = gql("""
            query PartnerCustomer($id: ID!) {
              viewer {
                ...PageFrame
              }
              landing {
                __typename
                ... on PartnerLanding {
                  organization {
                    id
                    name
                  }
                  customer(id: $id) {
                    id
                    name
                    country
                    mappingId
                    mappedAt
                    locationCount
                    deviceCounts {
                      total
                    }
                    licenseSummary {
                      total
                    }
                    accessScope
                    accessExpiresAt
                    accessExpired
                    extensionRequestedUntil
                    technicians(first: 100) {
                      edges {
                        node {
                          id
                          assignedAt
                          user {
                            id
                            email
                            displayName
                          }
                        }
                      }
                    }
                  }
                }
              }
              members(first: 100) {
                edges {
                  node {
                    role
                    status
                    user {
                      id
                      email
                      displayName
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="PartnerCustomer", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return PartnerCustomer.model_validate(data)

    async def partner_invitations(
        self, after: Union[Optional[str], UnsetType] = UNSET, **kwargs: Any
    ) -> PartnerInvitations:
        query = gql("""
            query PartnerInvitations($after: String) {
              viewer {
                ...PageFrame
                working: organization {
                  partnerInvitations(first: 50, after: $after) {
                    totalCount
                    pageInfo {
                      hasNextPage
                      endCursor
                    }
                    edges {
                      node {
                        id
                        invitedAt
                        accessScope
                        accessExpiresAt
                        customer {
                          id
                          name
                          country
                        }
                      }
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {"after": after}
        response = await self.execute(
            query=query,
            operation_name="PartnerInvitations",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return PartnerInvitations.model_validate(data)

    async def create_managed_customer(
        self, input: CreateManagedCustomerInput, **kwargs: Any
    ) -> CreateManagedCustomer:
        query = gql("""
            mutation CreateManagedCustomer($input: CreateManagedCustomerInput!) {
              createManagedCustomer(input: $input) {
                customer {
                  id
                  name
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="CreateManagedCustomer",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return CreateManagedCustomer.model_validate(data)

    async def accept_partner_invitation(
        self, input: PartnerMappingInput, **kwargs: Any
    ) -> AcceptPartnerInvitation:
        query = gql("""
            mutation AcceptPartnerInvitation($input: PartnerMappingInput!) {
              acceptPartnerInvitation(input: $input) {
                partnerMapping {
                  customer {
                    name
                  }
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="AcceptPartnerInvitation",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return AcceptPartnerInvitation.model_validate(data)

    async def decline_partner_invitation(
        self, input: PartnerMappingInput, **kwargs: Any
    ) -> DeclinePartnerInvitation:
        query = gql("""
            mutation DeclinePartnerInvitation($input: PartnerMappingInput!) {
              declinePartnerInvitation(input: $input) {
                partnerMapping {
                  customer {
                    name
                  }
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="DeclinePartnerInvitation",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return DeclinePartnerInvitation.model_validate(data)

    async def assign_technician(
        self, input: TechnicianInput, **kwargs: Any
    ) -> AssignTechnician:
        query = gql("""
            mutation AssignTechnician($input: TechnicianInput!) {
              assignTechnician(input: $input) {
                technician {
                  user {
                    email
                  }
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="AssignTechnician",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return AssignTechnician.model_validate(data)

    async def unassign_technician(
        self, input: TechnicianInput, **kwargs: Any
    ) -> UnassignTechnician:
        query = gql("""
            mutation UnassignTechnician($input: TechnicianInput!) {
              unassignTechnician(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="UnassignTechnician",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return UnassignTechnician.model_validate(data)

    async def request_partner_access_extension(
        self, input: RequestPartnerAccessExtensionInput, **kwargs: Any
    ) -> RequestPartnerAccessExtension:
        query = gql("""
            mutation RequestPartnerAccessExtension($input: RequestPartnerAccessExtensionInput!) {
              requestPartnerAccessExtension(input: $input) {
                partnerMapping {
                  pendingExtension {
                    requestedUntil
                  }
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="RequestPartnerAccessExtension",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RequestPartnerAccessExtension.model_validate(data)

    async def devices(
        self,
        first: int,
        after: Union[Optional[str], UnsetType] = UNSET,
        search: Union[Optional[str], UnsetType] = UNSET,
        filter_: Union[Optional[DeviceFilter], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> Devices:
        query = gql("""
            query Devices($first: Int!, $after: String, $search: String, $filter: DeviceFilter) {
              viewer {
                ...PageFrame
                working: organization {
                  ...PlaceOptions
                  devices(first: $first, after: $after, search: $search, filter: $filter) {
                    totalCount
                    pageInfo {
                      hasNextPage
                      endCursor
                    }
                    edges {
                      node {
                        id
                        kind
                        serialNumber
                        macAddress
                        model
                        name
                        status
                        area {
                          id
                          name
                        }
                        location {
                          id
                          name
                        }
                      }
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }

            fragment PlaceOptions on Organization {
              locations(first: 25) {
                edges {
                  node {
                    id
                    name
                    areas(first: 20) {
                      edges {
                        node {
                          id
                          name
                        }
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "first": first,
            "after": after,
            "search": search,
            "filter": filter_,
        }
        response = await self.execute(
            query=query, operation_name="Devices", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Devices.model_validate(data)

    async def register_device_page(self, **kwargs: Any) -> RegisterDevicePage:
        query = gql("""
            query RegisterDevicePage {
              viewer {
                ...PageFrame
                working: organization {
                  ...PlaceOptions
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }

            fragment PlaceOptions on Organization {
              locations(first: 25) {
                edges {
                  node {
                    id
                    name
                    areas(first: 20) {
                      edges {
                        node {
                          id
                          name
                        }
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query,
            operation_name="RegisterDevicePage",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RegisterDevicePage.model_validate(data)

    async def register_device(
        self, input: RegisterDeviceInput, **kwargs: Any
    ) -> RegisterDevice:
        query = gql("""
            mutation RegisterDevice($input: RegisterDeviceInput!) {
              registerDevice(input: $input) {
                device {
                  id
                  serialNumber
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="RegisterDevice", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RegisterDevice.model_validate(data)

    async def rename_device(
        self, input: RenameDeviceInput, **kwargs: Any
    ) -> RenameDevice:
        query = gql("""
            mutation RenameDevice($input: RenameDeviceInput!) {
              renameDevice(input: $input) {
                device {
                  id
                  name
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="RenameDevice", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RenameDevice.model_validate(data)

    async def move_device(self, input: MoveDeviceInput, **kwargs: Any) -> MoveDevice:
        query = gql("""
            mutation MoveDevice($input: MoveDeviceInput!) {
              moveDevice(input: $input) {
                device {
                  id
                  name
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="MoveDevice", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return MoveDevice.model_validate(data)

    async def remove_device(
        self, input: RemoveDeviceInput, **kwargs: Any
    ) -> RemoveDevice:
        query = gql("""
            mutation RemoveDevice($input: RemoveDeviceInput!) {
              removeDevice(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="RemoveDevice", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RemoveDevice.model_validate(data)

    async def device_page(self, id: str, **kwargs: Any) -> DevicePage:
        query = gql("""
            query DevicePage($id: ID!) {
              viewer {
                ...PageFrame
                working: organization {
                  ...PlaceOptions
                  licenses(first: 100) {
                    edges {
                      node {
                        id
                        keyHint
                        status
                        seatsAvailable
                        product {
                          name
                        }
                      }
                    }
                  }
                }
              }
              node(id: $id) {
                __typename
                ... on Device {
                  id
                  kind
                  serialNumber
                  macAddress
                  model
                  name
                  status
                  area {
                    id
                    name
                  }
                  location {
                    id
                    name
                  }
                  licenses {
                    id
                    keyHint
                    status
                    product {
                      name
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }

            fragment PlaceOptions on Organization {
              locations(first: 25) {
                edges {
                  node {
                    id
                    name
                    areas(first: 20) {
                      edges {
                        node {
                          id
                          name
                        }
                      }
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="DevicePage", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DevicePage.model_validate(data)

    async def frame(self, **kwargs: Any) -> Frame:
        query = gql("""
            query Frame {
              viewer {
                ...PageFrame
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Frame", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Frame.model_validate(data)

    async def home(
        self,
        first: int,
        after: Union[Optional[str], UnsetType] = UNSET,
        search: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> Home:
        query = gql("""
            query Home($first: Int!, $after: String, $search: String) {
              viewer {
                ...PageFrame
              }
              landing {
                __typename
                ... on CustomerLanding {
                  organization {
                    name
                  }
                  appTiles {
                    key
                    name
                    description
                    link
                    unlocked
                  }
                }
                ... on PartnerLanding {
                  organization {
                    name
                  }
                  customers(first: $first, after: $after, search: $search) {
                    pageInfo {
                      hasNextPage
                      endCursor
                    }
                    edges {
                      node {
                        id
                        name
                        country
                        mappingId
                        locationCount
                        deviceCounts {
                          total
                        }
                        licenseSummary {
                          total
                        }
                        accessScope
                        accessExpiresAt
                        accessExpired
                        extensionRequestedUntil
                      }
                    }
                  }
                }
                ... on AdminLanding {
                  pendingPartnerRequests(first: $first, after: $after) {
                    pageInfo {
                      hasNextPage
                      endCursor
                    }
                    edges {
                      node {
                        ...PendingPartnerRequest
                      }
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }

            fragment PendingPartnerRequest on PartnerRequest {
              id
              stepPartnerCode
              companyName
              country
              contactEmail
              contactFirstName
              contactLastName
              createdAt
            }
            """)
        variables: dict[str, object] = {
            "first": first,
            "after": after,
            "search": search,
        }
        response = await self.execute(
            query=query, operation_name="Home", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Home.model_validate(data)

    async def licenses(
        self, status: Union[Optional[LicenseStatus], UnsetType] = UNSET, **kwargs: Any
    ) -> Licenses:
        query = gql("""
            query Licenses($status: LicenseStatus) {
              viewer {
                ...PageFrame
              }
              licenseSummary {
                available
                inUse
                expiringSoon
                expired
              }
              licenses(first: 100, status: $status) {
                edges {
                  node {
                    id
                    keyHint
                    status
                    seats
                    seatsUsed
                    termDays
                    expiresAt
                    product {
                      name
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {"status": status}
        response = await self.execute(
            query=query, operation_name="Licenses", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Licenses.model_validate(data)

    async def redeem_license_key(
        self, input: RedeemLicenseKeyInput, **kwargs: Any
    ) -> RedeemLicenseKey:
        query = gql("""
            mutation RedeemLicenseKey($input: RedeemLicenseKeyInput!) {
              redeemLicenseKey(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="RedeemLicenseKey",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RedeemLicenseKey.model_validate(data)

    async def attach_license(
        self, input: AttachLicenseInput, **kwargs: Any
    ) -> AttachLicense:
        query = gql("""
            mutation AttachLicense($input: AttachLicenseInput!) {
              attachLicense(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="AttachLicense", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return AttachLicense.model_validate(data)

    async def detach_license(
        self, input: DetachLicenseInput, **kwargs: Any
    ) -> DetachLicense:
        query = gql("""
            mutation DetachLicense($input: DetachLicenseInput!) {
              detachLicense(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="DetachLicense", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DetachLicense.model_validate(data)

    async def locations(self, **kwargs: Any) -> Locations:
        query = gql("""
            query Locations {
              viewer {
                ...PageFrame
                working: organization {
                  locations(first: 50) {
                    edges {
                      node {
                        id
                        name
                        timeZone
                        isDefault
                        deviceCounts {
                          total
                        }
                        areas(first: 20) {
                          edges {
                            node {
                              id
                              name
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Locations", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Locations.model_validate(data)

    async def create_location(
        self, input: CreateLocationInput, **kwargs: Any
    ) -> CreateLocation:
        query = gql("""
            mutation CreateLocation($input: CreateLocationInput!) {
              createLocation(input: $input) {
                location {
                  id
                  name
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="CreateLocation", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CreateLocation.model_validate(data)

    async def update_location(
        self, input: UpdateLocationInput, **kwargs: Any
    ) -> UpdateLocation:
        query = gql("""
            mutation UpdateLocation($input: UpdateLocationInput!) {
              updateLocation(input: $input) {
                location {
                  id
                  name
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="UpdateLocation", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return UpdateLocation.model_validate(data)

    async def delete_location(
        self, input: DeleteLocationInput, **kwargs: Any
    ) -> DeleteLocation:
        query = gql("""
            mutation DeleteLocation($input: DeleteLocationInput!) {
              deleteLocation(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="DeleteLocation", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DeleteLocation.model_validate(data)

    async def location_page(self, id: str, **kwargs: Any) -> LocationPage:
        query = gql("""
            query LocationPage($id: ID!) {
              viewer {
                ...PageFrame
                working: organization {
                  locations(first: 50) {
                    edges {
                      node {
                        id
                        name
                      }
                    }
                  }
                }
              }
              node(id: $id) {
                __typename
                ... on Location {
                  id
                  name
                  timeZone
                  isDefault
                  deviceCounts {
                    total
                  }
                  areas(first: 50) {
                    edges {
                      node {
                        id
                        name
                        isDefault
                        deviceCounts {
                          total
                        }
                      }
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="LocationPage", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return LocationPage.model_validate(data)

    async def create_area(self, input: CreateAreaInput, **kwargs: Any) -> CreateArea:
        query = gql("""
            mutation CreateArea($input: CreateAreaInput!) {
              createArea(input: $input) {
                area {
                  id
                  name
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="CreateArea", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CreateArea.model_validate(data)

    async def rename_area(self, input: RenameAreaInput, **kwargs: Any) -> RenameArea:
        query = gql("""
            mutation RenameArea($input: RenameAreaInput!) {
              renameArea(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="RenameArea", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RenameArea.model_validate(data)

    async def delete_area(self, input: DeleteAreaInput, **kwargs: Any) -> DeleteArea:
        query = gql("""
            mutation DeleteArea($input: DeleteAreaInput!) {
              deleteArea(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="DeleteArea", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return DeleteArea.model_validate(data)

    async def move_area(self, input: MoveAreaInput, **kwargs: Any) -> MoveArea:
        query = gql("""
            mutation MoveArea($input: MoveAreaInput!) {
              moveArea(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="MoveArea", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return MoveArea.model_validate(data)

    async def support_partner(self, **kwargs: Any) -> SupportPartner:
        query = gql("""
            query SupportPartner {
              viewer {
                ...PageFrame
                working: organization {
                  supportPartner {
                    id
                    status
                    partnerName
                    invitedAt
                    since
                    accessScope
                    accessExpiresAt
                    accessExpired
                    pendingExtension {
                      requestedUntil
                      requestedAt
                    }
                    technicians(first: 50) {
                      edges {
                        node {
                          id
                          roleLabel
                          assignedAt
                          user {
                            displayName
                            email
                          }
                        }
                      }
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="SupportPartner", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return SupportPartner.model_validate(data)

    async def update_partner_access(
        self, input: UpdatePartnerAccessInput, **kwargs: Any
    ) -> UpdatePartnerAccess:
        query = gql("""
            mutation UpdatePartnerAccess($input: UpdatePartnerAccessInput!) {
              updatePartnerAccess(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="UpdatePartnerAccess",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return UpdatePartnerAccess.model_validate(data)

    async def approve_partner_access_extension(
        self, input: PartnerMappingInput, **kwargs: Any
    ) -> ApprovePartnerAccessExtension:
        query = gql("""
            mutation ApprovePartnerAccessExtension($input: PartnerMappingInput!) {
              approvePartnerAccessExtension(input: $input) {
                partnerMapping {
                  accessExpiresAt
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="ApprovePartnerAccessExtension",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return ApprovePartnerAccessExtension.model_validate(data)

    async def decline_partner_access_extension(
        self, input: PartnerMappingInput, **kwargs: Any
    ) -> DeclinePartnerAccessExtension:
        query = gql("""
            mutation DeclinePartnerAccessExtension($input: PartnerMappingInput!) {
              declinePartnerAccessExtension(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="DeclinePartnerAccessExtension",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return DeclinePartnerAccessExtension.model_validate(data)

    async def invite_partner(
        self, input: InvitePartnerInput, **kwargs: Any
    ) -> InvitePartner:
        query = gql("""
            mutation InvitePartner($input: InvitePartnerInput!) {
              invitePartner(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="InvitePartner", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return InvitePartner.model_validate(data)

    async def end_partner_mapping(
        self, input: PartnerMappingInput, **kwargs: Any
    ) -> EndPartnerMapping:
        query = gql("""
            mutation EndPartnerMapping($input: PartnerMappingInput!) {
              endPartnerMapping(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="EndPartnerMapping",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return EndPartnerMapping.model_validate(data)

    async def provisioning(self, **kwargs: Any) -> Provisioning:
        query = gql("""
            query Provisioning {
              viewer {
                ...PageFrame
              }
              scimTokens {
                id
                tokenHint
                createdAt
                lastUsedAt
                revokedAt
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Provisioning", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Provisioning.model_validate(data)

    async def create_scim_token(self, **kwargs: Any) -> CreateScimToken:
        query = gql("""
            mutation CreateScimToken {
              createScimToken {
                token
                baseUrl
                scimToken {
                  id
                  tokenHint
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="CreateScimToken", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return CreateScimToken.model_validate(data)

    async def revoke_scim_token(self, **kwargs: Any) -> RevokeScimToken:
        query = gql("""
            mutation RevokeScimToken {
              revokeScimToken {
                revokedScimTokenId
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="RevokeScimToken", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RevokeScimToken.model_validate(data)

    async def service_accounts(self, **kwargs: Any) -> ServiceAccounts:
        query = gql("""
            query ServiceAccounts {
              viewer {
                ...PageFrame
              }
              serviceAccounts(first: 50) {
                edges {
                  node {
                    id
                    name
                    role
                    clientId
                    secretHint
                    createdAt
                    secretRotatedAt
                    lastUsedAt
                    createdBy {
                      email
                    }
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="ServiceAccounts", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ServiceAccounts.model_validate(data)

    async def create_service_account(
        self, input: CreateServiceAccountInput, **kwargs: Any
    ) -> CreateServiceAccount:
        query = gql("""
            mutation CreateServiceAccount($input: CreateServiceAccountInput!) {
              createServiceAccount(input: $input) {
                clientId
                clientSecret
                serviceAccount {
                  id
                  name
                  role
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="CreateServiceAccount",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return CreateServiceAccount.model_validate(data)

    async def rotate_service_account_secret(
        self, input: ServiceAccountIdInput, **kwargs: Any
    ) -> RotateServiceAccountSecret:
        query = gql("""
            mutation RotateServiceAccountSecret($input: ServiceAccountIdInput!) {
              rotateServiceAccountSecret(input: $input) {
                clientSecret
                serviceAccount {
                  id
                  name
                  clientId
                  role
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="RotateServiceAccountSecret",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RotateServiceAccountSecret.model_validate(data)

    async def revoke_service_account(
        self, input: ServiceAccountIdInput, **kwargs: Any
    ) -> RevokeServiceAccount:
        query = gql("""
            mutation RevokeServiceAccount($input: ServiceAccountIdInput!) {
              revokeServiceAccount(input: $input) {
                revokedServiceAccountId
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="RevokeServiceAccount",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RevokeServiceAccount.model_validate(data)

    async def settings(self, **kwargs: Any) -> Settings:
        query = gql("""
            query Settings {
              viewer {
                ...PageFrame
                totpEnabled
                passkeys {
                  id
                }
                details: organization {
                  id
                  name
                  type
                  country
                  address
                  phone
                  requireTwoFactor
                  requirePasskey
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Settings", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Settings.model_validate(data)

    async def update_organization(
        self, input: UpdateOrganizationInput, **kwargs: Any
    ) -> UpdateOrganization:
        query = gql("""
            mutation UpdateOrganization($input: UpdateOrganizationInput!) {
              updateOrganization(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="UpdateOrganization",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return UpdateOrganization.model_validate(data)

    async def set_two_factor_requirement(
        self, input: SetOrganizationTwoFactorRequirementInput, **kwargs: Any
    ) -> SetTwoFactorRequirement:
        query = gql("""
            mutation SetTwoFactorRequirement($input: SetOrganizationTwoFactorRequirementInput!) {
              setOrganizationTwoFactorRequirement(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="SetTwoFactorRequirement",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return SetTwoFactorRequirement.model_validate(data)

    async def set_passkey_requirement(
        self, input: SetOrganizationPasskeyRequirementInput, **kwargs: Any
    ) -> SetPasskeyRequirement:
        query = gql("""
            mutation SetPasskeyRequirement($input: SetOrganizationPasskeyRequirementInput!) {
              setOrganizationPasskeyRequirement(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="SetPasskeyRequirement",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return SetPasskeyRequirement.model_validate(data)

    async def delete_organization(
        self, input: DeleteOrganizationInput, **kwargs: Any
    ) -> DeleteOrganization:
        query = gql("""
            mutation DeleteOrganization($input: DeleteOrganizationInput!) {
              deleteOrganization(input: $input) {
                deletedOrganizationId
                remaining {
                  otherMembers
                  devices
                  licenses
                  pendingInvitations
                  partnerMappings
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="DeleteOrganization",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return DeleteOrganization.model_validate(data)

    async def single_sign_on_page(self, **kwargs: Any) -> SingleSignOnPage:
        query = gql("""
            query SingleSignOnPage {
              viewer {
                ...PageFrame
              }
              singleSignOn {
                redirectUri
                domains {
                  id
                  name
                  verified
                  verifiedAt
                  txtRecordName
                  txtRecordValue
                  createdAt
                }
                connection {
                  id
                  issuer
                  clientId
                  groupsClaim
                  groupRoles {
                    group
                    role
                  }
                  enforced
                  updatedAt
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query,
            operation_name="SingleSignOnPage",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return SingleSignOnPage.model_validate(data)

    async def claim_sso_domain(
        self, input: ClaimDomainInput, **kwargs: Any
    ) -> ClaimSsoDomain:
        query = gql("""
            mutation ClaimSsoDomain($input: ClaimDomainInput!) {
              claimDomain(input: $input) {
                domain {
                  id
                  name
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="ClaimSsoDomain", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ClaimSsoDomain.model_validate(data)

    async def verify_sso_domain(self, id: str, **kwargs: Any) -> VerifySsoDomain:
        query = gql("""
            mutation VerifySsoDomain($id: ID!) {
              verifyDomain(id: $id) {
                domain {
                  id
                  name
                  verified
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="VerifySsoDomain", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return VerifySsoDomain.model_validate(data)

    async def remove_sso_domain(self, id: str, **kwargs: Any) -> RemoveSsoDomain:
        query = gql("""
            mutation RemoveSsoDomain($id: ID!) {
              removeDomain(id: $id) {
                removedDomainId
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"id": id}
        response = await self.execute(
            query=query, operation_name="RemoveSsoDomain", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RemoveSsoDomain.model_validate(data)

    async def configure_sso(
        self, input: ConfigureSingleSignOnInput, **kwargs: Any
    ) -> ConfigureSso:
        query = gql("""
            mutation ConfigureSso($input: ConfigureSingleSignOnInput!) {
              configureSingleSignOn(input: $input) {
                connection {
                  id
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="ConfigureSso", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return ConfigureSso.model_validate(data)

    async def check_sso_connection(self, **kwargs: Any) -> CheckSsoConnection:
        query = gql("""
            mutation CheckSsoConnection {
              testSingleSignOn {
                checks {
                  code
                  name
                  passed
                  explanation
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query,
            operation_name="CheckSsoConnection",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return CheckSsoConnection.model_validate(data)

    async def remove_sso(self, **kwargs: Any) -> RemoveSso:
        query = gql("""
            mutation RemoveSso {
              removeSingleSignOn {
                removedConnectionId
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="RemoveSso", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RemoveSso.model_validate(data)

    async def users(self, **kwargs: Any) -> Users:
        query = gql("""
            query Users {
              viewer {
                ...PageFrame
                working: organization {
                  members(first: 100) {
                    edges {
                      node {
                        id
                        role
                        status
                        suspendedAt
                        provisioned
                        user {
                          id
                          email
                          displayName
                        }
                      }
                    }
                  }
                }
              }
              invitations(first: 100, status: PENDING) {
                edges {
                  node {
                    id
                    email
                    role
                    status
                    expiresAt
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Users", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Users.model_validate(data)

    async def invite_member(
        self, input: InviteMemberInput, **kwargs: Any
    ) -> InviteMember:
        query = gql("""
            mutation InviteMember($input: InviteMemberInput!) {
              inviteMember(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="InviteMember", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return InviteMember.model_validate(data)

    async def change_member_role(
        self, input: ChangeMemberRoleInput, **kwargs: Any
    ) -> ChangeMemberRole:
        query = gql("""
            mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {
              changeMemberRole(input: $input) {
                member {
                  provisioned
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="ChangeMemberRole",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return ChangeMemberRole.model_validate(data)

    async def remove_member(
        self, input: RemoveMemberInput, **kwargs: Any
    ) -> RemoveMember:
        query = gql("""
            mutation RemoveMember($input: RemoveMemberInput!) {
              removeMember(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query, operation_name="RemoveMember", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return RemoveMember.model_validate(data)

    async def resend_invitation(
        self, input: ResendInvitationInput, **kwargs: Any
    ) -> ResendInvitation:
        query = gql("""
            mutation ResendInvitation($input: ResendInvitationInput!) {
              resendInvitation(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="ResendInvitation",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return ResendInvitation.model_validate(data)

    async def cancel_invitation(
        self, input: CancelInvitationInput, **kwargs: Any
    ) -> CancelInvitation:
        query = gql("""
            mutation CancelInvitation($input: CancelInvitationInput!) {
              cancelInvitation(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="CancelInvitation",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return CancelInvitation.model_validate(data)

    async def transfer_super_admin(
        self, input: TransferSuperAdminInput, **kwargs: Any
    ) -> TransferSuperAdmin:
        query = gql("""
            mutation TransferSuperAdmin($input: TransferSuperAdminInput!) {
              transferSuperAdmin(input: $input) {
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="TransferSuperAdmin",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return TransferSuperAdmin.model_validate(data)

    async def webhook_endpoints(self, **kwargs: Any) -> WebhookEndpoints:
        query = gql("""
            query WebhookEndpoints {
              viewer {
                ...PageFrame
              }
              webhookEndpoints {
                ...WebhookEndpointSummary
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }

            fragment WebhookEndpointSummary on WebhookEndpoint {
              id
              url
              description
              events
              enabled
              disabledReason
              failingSince
              previousSecretExpiresAt
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query,
            operation_name="WebhookEndpoints",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return WebhookEndpoints.model_validate(data)

    async def webhook_event_types(self, **kwargs: Any) -> WebhookEventTypes:
        query = gql("""
            query WebhookEventTypes {
              viewer {
                ...PageFrame
              }
              webhookEventTypes {
                name
                description
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query,
            operation_name="WebhookEventTypes",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return WebhookEventTypes.model_validate(data)

    async def webhook_endpoint_detail(
        self, id: str, after: Union[Optional[str], UnsetType] = UNSET, **kwargs: Any
    ) -> WebhookEndpointDetail:
        query = gql("""
            query WebhookEndpointDetail($id: ID!, $after: String) {
              viewer {
                ...PageFrame
              }
              webhookEndpoint(id: $id) {
                ...WebhookEndpointSummary
              }
              webhookDeliveries(endpointId: $id, first: 25, after: $after) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                edges {
                  node {
                    id
                    webhookId
                    eventType
                    status
                    attempts
                    responseStatus
                    durationMs
                    lastError
                    createdAt
                    lastAttemptAt
                    nextAttemptAt
                  }
                }
              }
            }

            fragment PageFrame on Viewer {
              role
              user {
                email
                displayName
              }
              organization {
                id
                name
                type
              }
              organizations {
                id
                name
                type
              }
              technicianAccess {
                partnerId
                partnerName
                scope
                expiresAt
              }
            }

            fragment WebhookEndpointSummary on WebhookEndpoint {
              id
              url
              description
              events
              enabled
              disabledReason
              failingSince
              previousSecretExpiresAt
            }
            """)
        variables: dict[str, object] = {"id": id, "after": after}
        response = await self.execute(
            query=query,
            operation_name="WebhookEndpointDetail",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return WebhookEndpointDetail.model_validate(data)

    async def create_webhook_endpoint(
        self, input: CreateWebhookEndpointInput, **kwargs: Any
    ) -> CreateWebhookEndpoint:
        query = gql("""
            mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
              createWebhookEndpoint(input: $input) {
                endpoint {
                  id
                  url
                }
                secret
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="CreateWebhookEndpoint",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return CreateWebhookEndpoint.model_validate(data)

    async def update_webhook_endpoint(
        self, input: UpdateWebhookEndpointInput, **kwargs: Any
    ) -> UpdateWebhookEndpoint:
        query = gql("""
            mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
              updateWebhookEndpoint(input: $input) {
                endpoint {
                  id
                  enabled
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="UpdateWebhookEndpoint",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return UpdateWebhookEndpoint.model_validate(data)

    async def delete_webhook_endpoint(
        self, input: WebhookEndpointIdInput, **kwargs: Any
    ) -> DeleteWebhookEndpoint:
        query = gql("""
            mutation DeleteWebhookEndpoint($input: WebhookEndpointIdInput!) {
              deleteWebhookEndpoint(input: $input) {
                deletedEndpointId
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="DeleteWebhookEndpoint",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return DeleteWebhookEndpoint.model_validate(data)

    async def rotate_webhook_secret(
        self, input: WebhookEndpointIdInput, **kwargs: Any
    ) -> RotateWebhookSecret:
        query = gql("""
            mutation RotateWebhookSecret($input: WebhookEndpointIdInput!) {
              rotateWebhookSecret(input: $input) {
                endpoint {
                  id
                  url
                  previousSecretExpiresAt
                }
                secret
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="RotateWebhookSecret",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return RotateWebhookSecret.model_validate(data)

    async def replay_webhook_delivery(
        self, input: ReplayWebhookDeliveryInput, **kwargs: Any
    ) -> ReplayWebhookDelivery:
        query = gql("""
            mutation ReplayWebhookDelivery($input: ReplayWebhookDeliveryInput!) {
              replayWebhookDelivery(input: $input) {
                delivery {
                  id
                }
                userErrors {
                  ...Problem
                }
              }
            }

            fragment Problem on UserError {
              field
              message
              code
            }
            """)
        variables: dict[str, object] = {"input": input}
        response = await self.execute(
            query=query,
            operation_name="ReplayWebhookDelivery",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return ReplayWebhookDelivery.model_validate(data)
