"""Which API scope each GraphQL field needs (domain/authz/api_scopes.py), checked in one place.

``FIELD_SCOPES`` names every root field (``None``: a public form, answered alike with or without
a token) and the nested fields that reach another area's data (a device's licenses, a landing's
customers). ``enforce_scopes`` wraps exactly those resolvers when the schema is built: a token
without the scope gets ``FORBIDDEN`` before the resolver runs (the role's rules still apply
inside the resolver), and other fields cost nothing. tests/authz/test_scopes_cover_schema.py
fails for a root field missing here; a root field that is missing anyway is refused to any token
that does not hold every API scope (only first-party clients' tokens do), so a third-party
token never reaches a field nobody has classified.

``node(id:)`` needs ``organizations:read`` (a token without it: ``FORBIDDEN``); each type it
can find then needs its root twin's scope, and a token lacking that scope gets null — the same
null as for an id that never existed, so node never tells which area an id belongs to
(resolvers/node.py).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, default_field_resolver

from domain.authz.api_scopes import API_SCOPES, ApiScope
from schema.errors import forbidden

ORGANIZATIONS_READ = ApiScope.ORGANIZATIONS_READ
ORGANIZATIONS_WRITE = ApiScope.ORGANIZATIONS_WRITE
DEVICES_READ = ApiScope.DEVICES_READ
DEVICES_WRITE = ApiScope.DEVICES_WRITE
LICENSES_READ = ApiScope.LICENSES_READ
LICENSES_WRITE = ApiScope.LICENSES_WRITE
MEMBERS_READ = ApiScope.MEMBERS_READ
MEMBERS_WRITE = ApiScope.MEMBERS_WRITE
PARTNERS_READ = ApiScope.PARTNERS_READ
PARTNERS_WRITE = ApiScope.PARTNERS_WRITE
AUDIT_READ = ApiScope.AUDIT_READ
ACCOUNT_SECURITY = ApiScope.ACCOUNT_SECURITY
PLATFORM_ADMIN = ApiScope.PLATFORM_ADMIN

PUBLIC = None

FIELD_SCOPES: Mapping[str, ApiScope | None] = {
    # --- the caller's own session and organizations
    "Query.viewer": ORGANIZATIONS_READ,
    "Query.landing": ORGANIZATIONS_READ,
    "Query.appTiles": ORGANIZATIONS_READ,
    # Then the found type's own scope, as its root twin (resolvers/node.py).
    "Query.node": ORGANIZATIONS_READ,
    "Mutation.setOrganizationTwoFactorRequirement": ORGANIZATIONS_WRITE,
    "Mutation.leaveOrganization": ORGANIZATIONS_WRITE,
    "Mutation.transferSuperAdmin": ORGANIZATIONS_WRITE,
    "Mutation.deleteOrganization": ORGANIZATIONS_WRITE,
    "Mutation.updateOrganization": ORGANIZATIONS_WRITE,
    # --- the caller's own two-factor login (whether it is on is part of the account: see
    # ``User.mfaEnabled``; changing it is not)
    "Mutation.startTotpEnrollment": ACCOUNT_SECURITY,
    "Mutation.confirmTotpEnrollment": ACCOUNT_SECURITY,
    "Mutation.disableTotp": ACCOUNT_SECURITY,
    "Mutation.regenerateRecoveryCodes": ACCOUNT_SECURITY,
    # --- the caller's own account: names, password
    "Mutation.updateProfile": ACCOUNT_SECURITY,
    "Mutation.changePassword": ACCOUNT_SECURITY,
    "Mutation.endSession": ACCOUNT_SECURITY,
    "Mutation.endOtherSessions": ACCOUNT_SECURITY,
    # Where the account is signed in (addresses, devices) is the account's security, not its
    # organizations'.
    "Viewer.sessions": ACCOUNT_SECURITY,
    "Viewer.passkeys": ACCOUNT_SECURITY,
    "Mutation.startPasskeyRegistration": ACCOUNT_SECURITY,
    "Mutation.finishPasskeyRegistration": ACCOUNT_SECURITY,
    "Mutation.renamePasskey": ACCOUNT_SECURITY,
    "Mutation.removePasskey": ACCOUNT_SECURITY,
    "Mutation.setOrganizationPasskeyRequirement": ORGANIZATIONS_WRITE,
    # --- public forms
    "Mutation.createCustomerOrganization": PUBLIC,
    "Mutation.joinAsStepPartner": PUBLIC,
    "Mutation.resendActivation": PUBLIC,
    "Mutation.activateAccount": PUBLIC,
    "Mutation.requestPasswordReset": PUBLIC,
    "Mutation.resetPassword": PUBLIC,
    # --- locations, areas, devices
    "Query.locations": DEVICES_READ,
    "Query.location": DEVICES_READ,
    "Query.area": DEVICES_READ,
    "Query.devices": DEVICES_READ,
    "Query.device": DEVICES_READ,
    "Query.deviceCounts": DEVICES_READ,
    "License.devices": DEVICES_READ,
    "Mutation.createLocation": DEVICES_WRITE,
    "Mutation.updateLocation": DEVICES_WRITE,
    "Mutation.deleteLocation": DEVICES_WRITE,
    "Mutation.createArea": DEVICES_WRITE,
    "Mutation.renameArea": DEVICES_WRITE,
    "Mutation.moveArea": DEVICES_WRITE,
    "Mutation.deleteArea": DEVICES_WRITE,
    "Mutation.registerDevice": DEVICES_WRITE,
    "Mutation.renameDevice": DEVICES_WRITE,
    "Mutation.moveDevice": DEVICES_WRITE,
    "Mutation.removeDevice": DEVICES_WRITE,
    # --- licenses
    "Query.products": LICENSES_READ,
    "Query.licenses": LICENSES_READ,
    "Query.license": LICENSES_READ,
    "Query.licenseSummary": LICENSES_READ,
    "Device.licenses": LICENSES_READ,
    # An organization's edges: each its root twin's scope.
    "Organization.locations": DEVICES_READ,
    "Organization.devices": DEVICES_READ,
    "Organization.members": MEMBERS_READ,
    "Organization.licenses": LICENSES_READ,
    "Organization.supportPartner": PARTNERS_READ,
    "Organization.partnerInvitations": PARTNERS_READ,
    "Organization.auditEvents": AUDIT_READ,
    "Mutation.redeemLicenseKey": LICENSES_WRITE,
    "Mutation.attachLicense": LICENSES_WRITE,
    "Mutation.detachLicense": LICENSES_WRITE,
    # --- members and invitations
    "Query.members": MEMBERS_READ,
    "Query.invitations": MEMBERS_READ,
    "Mutation.inviteMember": MEMBERS_WRITE,
    "Mutation.resendInvitation": MEMBERS_WRITE,
    "Mutation.cancelInvitation": MEMBERS_WRITE,
    "Mutation.changeMemberRole": MEMBERS_WRITE,
    "Mutation.removeMember": MEMBERS_WRITE,
    # Service accounts are the organization's machine members (domain/service_accounts).
    "Query.serviceAccounts": MEMBERS_READ,
    "Mutation.createServiceAccount": MEMBERS_WRITE,
    "Mutation.rotateServiceAccountSecret": MEMBERS_WRITE,
    "Mutation.revokeServiceAccount": MEMBERS_WRITE,
    # Enterprise single sign-on decides who signs in to the organization (domain/sso).
    "Query.singleSignOn": ORGANIZATIONS_READ,
    "Mutation.claimDomain": ORGANIZATIONS_WRITE,
    "Mutation.verifyDomain": ORGANIZATIONS_WRITE,
    "Mutation.configureSingleSignOn": ORGANIZATIONS_WRITE,
    # The SCIM token provisions members (domain/scim): the members' scopes too.
    "Query.scimTokens": MEMBERS_READ,
    "Mutation.createScimToken": MEMBERS_WRITE,
    "Mutation.revokeScimToken": MEMBERS_WRITE,
    # The invitations a person received: joining (or not) is a change to their own
    # organizations, like leaving one.
    "Query.myInvitations": ORGANIZATIONS_READ,
    "Mutation.acceptInvitation": ORGANIZATIONS_WRITE,
    "Mutation.declineInvitation": ORGANIZATIONS_WRITE,
    # --- partners: the customer's support partner, the partner's customers and technicians
    "Query.supportPartner": PARTNERS_READ,
    "Query.partnerInvitations": PARTNERS_READ,
    "PartnerLanding.customers": PARTNERS_READ,
    "PartnerLanding.customer": PARTNERS_READ,
    "Mutation.invitePartner": PARTNERS_WRITE,
    "Mutation.createManagedCustomer": PARTNERS_WRITE,
    "Mutation.acceptPartnerInvitation": PARTNERS_WRITE,
    "Mutation.declinePartnerInvitation": PARTNERS_WRITE,
    "Mutation.endPartnerMapping": PARTNERS_WRITE,
    "Mutation.updatePartnerAccess": PARTNERS_WRITE,
    "Mutation.requestPartnerAccessExtension": PARTNERS_WRITE,
    "Mutation.approvePartnerAccessExtension": PARTNERS_WRITE,
    "Mutation.declinePartnerAccessExtension": PARTNERS_WRITE,
    "Mutation.assignTechnician": PARTNERS_WRITE,
    "Mutation.unassignTechnician": PARTNERS_WRITE,
    # --- the audit log
    "Query.auditEvents": AUDIT_READ,
    # --- webhooks: organization settings; reading them (endpoints, the delivery log with its
    # event payloads) is for those who may change them, so one scope covers both.
    "Query.webhookEndpoints": ORGANIZATIONS_WRITE,
    "Query.webhookEndpoint": ORGANIZATIONS_WRITE,
    "Query.webhookDeliveries": ORGANIZATIONS_WRITE,
    "Query.webhookEventTypes": ORGANIZATIONS_READ,
    "Mutation.createWebhookEndpoint": ORGANIZATIONS_WRITE,
    "Mutation.updateWebhookEndpoint": ORGANIZATIONS_WRITE,
    "Mutation.deleteWebhookEndpoint": ORGANIZATIONS_WRITE,
    "Mutation.rotateWebhookSecret": ORGANIZATIONS_WRITE,
    "Mutation.replayWebhookDelivery": ORGANIZATIONS_WRITE,
    # --- the platform (internal admins)
    "Query.partnerRequests": PLATFORM_ADMIN,
    "Query.organizations": PLATFORM_ADMIN,
    "Query.organization": PLATFORM_ADMIN,
    "Query.stepPartnerCodes": PLATFORM_ADMIN,
    "Query.adminNotificationSettings": PLATFORM_ADMIN,
    "AdminLanding.pendingPartnerRequests": PLATFORM_ADMIN,
    "AdminLanding.notificationSettings": PLATFORM_ADMIN,
    "Mutation.approvePartnerRequest": PLATFORM_ADMIN,
    "Mutation.rejectPartnerRequest": PLATFORM_ADMIN,
    "Mutation.issueLicenseKeys": PLATFORM_ADMIN,
    "Mutation.suspendOrganization": PLATFORM_ADMIN,
    "Mutation.reactivateOrganization": PLATFORM_ADMIN,
    "Mutation.addStepPartnerCodes": PLATFORM_ADMIN,
    "Mutation.revokeStepPartnerCode": PLATFORM_ADMIN,
    "Mutation.importStepPartnerCodes": PLATFORM_ADMIN,
    "Mutation.updateAdminNotificationSettings": PLATFORM_ADMIN,
    # --- enterprise single sign-on, continued (domain/sso)
    "Mutation.removeDomain": ORGANIZATIONS_WRITE,
    "Mutation.removeSingleSignOn": ORGANIZATIONS_WRITE,
    "Mutation.testSingleSignOn": ORGANIZATIONS_WRITE,
}

Resolver = Callable[..., Any]


def _requiring(resolve: Resolver, allowed: Callable[[frozenset[str]], bool]) -> Resolver:
    async def checked(root: Any, info: Any, **kwargs: Any) -> Any:
        # The principal is loaded once per request (schema/context.py); without a valid token
        # this raises UNAUTHENTICATED, as the resolver itself would.
        principal = await info.context.principal()
        if not allowed(principal.scopes):
            raise forbidden()
        result = resolve(root, info, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    def resolver(root: Any, info: Any, **kwargs: Any) -> Any:
        # Nested fields (a device's licenses, in a list) find the principal already loaded:
        # checked synchronously, they cost no extra coroutine.
        principal = info.context.known_principal()
        if principal is None:
            return checked(root, info, **kwargs)
        if not allowed(principal.scopes):
            raise forbidden()
        return resolve(root, info, **kwargs)

    return resolver


def _undeclared_root(resolve: Resolver) -> Resolver:
    """A root field nobody classified: as before for anonymous and first-party callers, refused
    to a token that lacks any API scope."""
    guarded = _requiring(resolve, API_SCOPES.issubset)

    def resolver(root: Any, info: Any, **kwargs: Any) -> Any:
        # No request (a schema executed directly) or no token: nothing to refuse here.
        request = getattr(info.context, "request", None)
        if request is None or request.headers.get("authorization") is None:
            return resolve(root, info, **kwargs)
        return guarded(root, info, **kwargs)

    return resolver


def enforce_scopes(schema: GraphQLSchema, scopes: Mapping[str, ApiScope | None]) -> None:
    """Wrap the resolver of every field that needs a scope (and of every undeclared root field)."""
    roots = {t.name for t in (schema.query_type, schema.mutation_type) if t is not None}
    for type_name, named in schema.type_map.items():
        if not isinstance(named, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, graphql_field in named.fields.items():
            key = f"{type_name}.{field_name}"
            resolve = graphql_field.resolve or default_field_resolver
            if key in scopes:
                needed = scopes[key]
                if needed is not None:
                    graphql_field.resolve = _requiring(resolve, _holding(needed))
            elif type_name in roots:
                graphql_field.resolve = _undeclared_root(resolve)


def _holding(scope: ApiScope) -> Callable[[frozenset[str]], bool]:
    value = scope.value
    return lambda held: value in held
