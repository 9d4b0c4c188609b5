"""SCIM 2.0 (RFC 7643/7644) at ``/scim/v2``: the HTTP face of domain/scim.

An organization's directory (Okta, Entra ID) provisions its members here with the bearer token its
Super Admin created (``createScimToken``). The messages are scim2-models' (parsing, PATCH, the
attribute selection of responses); the rules are domain.scim.service's. Every answer is
``application/scim+json``; every refusal is a SCIM Error with its status and, where RFC 7644
§3.12 has one, its ``scimType``. Discovery answers only an authenticated caller too: nothing here
is public. Groups are the organization's two roles (fixed) and the groups its directory creates
(members, no role).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import ValidationError
from scim2_models import (
    URN,
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    Email,
    Error,
    ETag,
    Filter,
    Group,
    GroupMember,
    ListResponse,
    Meta,
    Name,
    Patch,
    PatchOp,
    Required,
    Resource,
    ResourceType,
    ResponseParameters,
    Schema,
    SCIMException,
    SearchRequest,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from db.models import ScimGroup, ScimUser
from domain.context import RequestMeta
from domain.scim import errors
from domain.scim import service as scim
from kit.crypto import sha256_hex
from runtime import Services
from web.graphql_request import RequestError, read_body
from web.request_meta import request_meta

logger = logging.getLogger(__name__)

PREFIX = "/scim/v2"
SCIM_JSON = "application/scim+json"
MAX_RESULTS = 200
DEFAULT_COUNT = 100
_Parameters = TypeVar("_Parameters", bound=ResponseParameters[Any])

_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
# What Okta and Entra ID send to find a user before creating it (RFC 7644 §3.4.2.2).
_EQUALS = re.compile(r'^\s*(userName|externalId|id)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$', re.IGNORECASE)
_ATTRIBUTE = {"username": "userName", "externalid": "externalId", "id": "id"}
# The attributes a User resource keeps besides userName, externalId and active.
# ``active`` is kept as sent: absent (or removed) is not a deactivation.
_KEPT = ("name", "displayName", "emails", "active")


class PortalEmail(Email):
    """An email address: its value is required here (an account is an address)."""

    value: Annotated[str | None, Required.true] = None


class PortalUser(Resource[Any]):
    """The User resource as this service provider supports it (RFC 7643 §4.1, a subset): what
    /Schemas publishes, what requests are parsed with and what PATCH applies to."""

    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:User")

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    """The person's identifier in the directory (usually their email address)."""

    name: Name | None = None
    """The components of the person's name."""

    display_name: str | None = None
    """The name of the person, suitable for display."""

    active: bool | None = None
    """False suspends the person's membership in this organization."""

    emails: Annotated[list[PortalEmail] | None, Required.true] = None
    """Email addresses; the account is found (or created) by userName when it is an address,
    else by the primary one of these. Required, but a request without them is read as having
    userName as its one (what a directory that logs in by email means)."""


def _resource_type() -> ResourceType:
    kind = ResourceType.from_resource(PortalUser)
    kind.description = "A member of the organization, provisioned by its directory."
    return kind


def _group_type() -> ResourceType:
    kind = ResourceType.from_resource(Group)
    kind.description = (
        "A group of the organization's members. Admins and Users are its roles (joining one sets "
        "the member's role; they are never created, renamed or deleted); the groups the directory "
        "creates carry members but give no role."
    )
    return kind


def _group_schema() -> Schema:
    schema = Group.to_schema()
    schema.name = "Group"
    schema.description = (
        "Group: Admins and Users are the organization's roles; the directory's own groups "
        "carry members but give no role."
    )
    return schema


def _schema() -> Schema:
    schema = PortalUser.to_schema()
    schema.name = "User"
    schema.description = "User Account"
    return schema


def _config(base: str) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=True),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="The organization's SCIM token (Settings → Provisioning).",
                primary=True,
            )
        ],
        meta=Meta(resource_type="ServiceProviderConfig", location=f"{base}/ServiceProviderConfig"),
    )


# --- answers ------------------------------------------------------------------------------------


def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(payload),
        status_code=status,
        media_type=SCIM_JSON,
        headers={**_HEADERS, **(headers or {})},
    )


def _error(
    status: int, scim_type: str | None, detail: str, headers: dict[str, str] | None = None
) -> Response:
    error = Error(status=status, scim_type=scim_type, detail=detail)
    return _json(error.model_dump(scim_ctx=Context.DEFAULT), status, headers)


def _etag(user: ScimUser) -> str:
    return f'W/"{user.version}"'


def _resource(user: ScimUser, base: str) -> PortalUser:
    kept = {key: user.attributes[key] for key in _KEPT if key in user.attributes}
    resource = PortalUser.model_validate(kept)
    resource.id = str(user.id)
    resource.external_id = user.external_id
    resource.user_name = user.user_name
    resource.meta = Meta(
        resource_type="User",
        created=user.created_at,
        last_modified=user.updated_at,
        location=f"{base}/Users/{user.id}",
        version=_etag(user),
    )
    return resource


def _data(resource: PortalUser) -> scim.UserData:
    if not resource.user_name or not resource.user_name.strip():
        raise errors.ScimFault(400, errors.INVALID_VALUE, "userName is required.")
    if len(resource.user_name) > 320:
        raise errors.ScimFault(400, errors.INVALID_VALUE, "userName has at most 320 characters.")
    if resource.external_id is not None and len(resource.external_id) > 255:
        raise errors.ScimFault(400, errors.INVALID_VALUE, "externalId has at most 255 characters.")
    emails = sorted(resource.emails or [], key=lambda email: not email.primary)
    dumped = resource.model_dump(scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    name = resource.name
    return scim.UserData(
        user_name=resource.user_name,
        external_id=resource.external_id,
        active=resource.active is not False,
        emails=tuple(email.value for email in emails if email.value),
        given_name=name.given_name if name else None,
        family_name=name.family_name if name else None,
        display_name=resource.display_name,
        attributes={key: dumped[key] for key in _KEPT if key in dumped},
    )


def _validation_fault(exc: ValidationError) -> errors.ScimFault:
    first = exc.errors()[0]
    error = Error.from_validation_error(first)
    return errors.ScimFault(
        error.status or 400, error.scim_type or errors.INVALID_VALUE, error.detail or "Invalid."
    )


# --- the request --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Call:
    """One authenticated SCIM request, inside its unit of work."""

    request: Request
    session: AsyncSession
    caller: scim.Caller
    meta: RequestMeta
    services: Services
    base: str
    # The activation codes' key (domain.secrets), fetched before the unit of work by requests that
    # may provision someone; empty otherwise.
    code_key: bytes = b""

    @property
    def welcome(self) -> scim.Welcome:
        assert self.code_key, "a request that may provision someone fetches the code key"
        return scim.Welcome(self.services.settings, self.code_key)

    async def body(self) -> dict[str, Any]:
        content_type = self.request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in ("application/scim+json", "application/json"):
            raise errors.ScimFault(
                415, None, "Send the body as application/scim+json (or application/json)."
            )
        raw = await read_body(self.request, self.services.settings.scim_max_body_bytes)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise errors.ScimFault(400, errors.INVALID_SYNTAX, "The body is not JSON.") from None
        if not isinstance(data, dict):
            raise errors.ScimFault(400, errors.INVALID_SYNTAX, "The body must be a JSON object.")
        return data

    def parameters(self) -> ResponseParameters[PortalUser]:
        return _response_parameters(self.request, ResponseParameters[PortalUser])

    def one(self, user: ScimUser, status: int = 200) -> Response:
        resource = _resource(user, self.base)
        context = (
            Context.RESOURCE_CREATION_RESPONSE if status == 201 else Context.RESOURCE_QUERY_RESPONSE
        )
        payload = resource.model_dump(scim_ctx=context, response_parameters=self.parameters())
        headers = {"ETag": _etag(user)}
        if status == 201:
            headers["Location"] = f"{self.base}/Users/{user.id}"
        return _json(payload, status, headers)

    def precondition(self, user: ScimUser) -> None:
        expected = self.request.headers.get("if-match")
        if expected is not None and expected.strip() not in ("*", _etag(user)):
            raise errors.ScimFault(412, None, "The resource has changed (If-Match).")


Handler = Callable[[Call], Awaitable[Response]]


def _endpoint(handlers: dict[str, Handler]) -> Callable[[Request], Awaitable[Response]]:
    allowed = ", ".join(sorted(handlers))

    async def endpoint(request: Request) -> Response:
        handler = handlers.get(request.method)
        if handler is None:
            return _error(405, None, f"Allowed: {allowed}.", {"Allow": allowed})
        return await _run(request, handler)

    return endpoint


async def _run(request: Request, handler: Handler) -> Response:
    services: Services = request.state.services
    settings = services.settings
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="scim"'}
    if scheme.lower() != "bearer" or not token.strip():
        return _error(401, None, "Send the organization's SCIM token as a bearer token.", challenge)
    token = token.strip()
    # Counted before the database is asked, per token (a wrong one included).
    if not await services.limiter.hit(settings.rate_limit_scim, "scim", sha256_hex(token)[:32]):
        return _error(429, None, "Too many requests: slow down.", {"Retry-After": "60"})
    meta = request_meta(request, settings.trusted_proxies)
    base = settings.public_url.rstrip("/") + PREFIX
    # Before the unit of work (domain.secrets: a cache miss writes on its own); cached once read.
    writes = request.method in ("POST", "PUT", "PATCH")
    code_key = await services.secrets.account_code_key() if writes else b""
    try:
        async with services.db.unit_of_work() as session:
            caller = await scim.authenticate(session, token)
            if caller is None:
                raise errors.ScimFault(401, None, "This SCIM token is not valid (or was revoked).")
            return await handler(Call(request, session, caller, meta, services, base, code_key))
    except errors.ScimFault as fault:
        return _error(
            fault.status, fault.scim_type, fault.detail, challenge if fault.status == 401 else None
        )
    except SCIMException as exc:
        error = exc.to_error()
        return _error(error.status or 400, error.scim_type, error.detail or str(exc))
    except RequestError as exc:  # the body's size, or its Content-Length
        return _error(exc.status, errors.INVALID_SYNTAX if exc.status == 400 else None, exc.message)


# --- discovery ----------------------------------------------------------------------------------


async def _service_provider_config(call: Call) -> Response:
    return _json(_config(call.base).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _with_meta(item: Schema | ResourceType, kind: str, base: str) -> Schema | ResourceType:
    item.meta = Meta(resource_type=kind, location=f"{base}/{kind}s/{item.id}")
    return item


async def _resource_types(call: Call) -> Response:
    items = [
        _with_meta(make(), "ResourceType", call.base) for make in (_resource_type, _group_type)
    ]
    return _listing(ListResponse[ResourceType], items)


async def _schemas(call: Call) -> Response:
    items = [_with_meta(make(), "Schema", call.base) for make in (_schema, _group_schema)]
    return _listing(ListResponse[Schema], items)


def _listing(kind: type[ListResponse[Any]], items: list[Any]) -> Response:
    listing = kind(
        total_results=len(items), start_index=1, items_per_page=len(items), resources=items
    )
    return _json(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE))


def _one_of(kind: str, *makers: Callable[[], Schema | ResourceType]) -> Handler:
    async def one(call: Call) -> Response:
        for make in makers:
            item = _with_meta(make(), kind, call.base)
            if call.request.path_params["id"] == item.id:
                return _json(item.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
        raise errors.ScimFault(404, None, f"No such {kind}.")

    return one


# --- users --------------------------------------------------------------------------------------


def _filter(raw: str | None) -> scim.Filter | None:
    if raw is None or not raw.strip():
        return None
    match = _EQUALS.match(raw)
    if match is None:
        raise errors.ScimFault(
            400,
            errors.INVALID_FILTER,
            'Filters supported: userName eq "…", externalId eq "…", id eq "…".',
        )
    try:
        value = json.loads(match.group(2))
    except ValueError:  # an escape JSON does not know
        raise errors.ScimFault(
            400, errors.INVALID_FILTER, "The value is not a valid string."
        ) from None
    return scim.Filter(_ATTRIBUTE[match.group(1).lower()], value)


def _integer(raw: str | None, default: int, name: str) -> int:
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise errors.ScimFault(400, errors.INVALID_VALUE, f"{name} is not a number.") from None


async def _list_users(call: Call) -> Response:
    query = call.request.query_params
    return await _search(
        call,
        query.get("filter"),
        _integer(query.get("startIndex"), 1, "startIndex"),
        _integer(query.get("count"), DEFAULT_COUNT, "count"),
        call.parameters(),
    )


async def _search_users(call: Call) -> Response:
    """POST …/.search (RFC 7644 §3.4.3): the query in the body."""
    body = await call.body()
    try:
        request = SearchRequest[PortalUser].model_validate(
            {key: value for key, value in body.items() if key not in ("filter", "sortBy")},
            scim_ctx=Context.SEARCH_REQUEST,
        )
    except ValidationError as exc:
        raise _validation_fault(exc) from None
    raw_filter = body.get("filter")
    if raw_filter is not None and not isinstance(raw_filter, str):
        raise errors.ScimFault(400, errors.INVALID_FILTER, "filter is a string.")
    parameters = ResponseParameters[PortalUser](
        attributes=request.attributes, excluded_attributes=request.excluded_attributes
    )
    start = request.start_index or 1
    count = DEFAULT_COUNT if request.count is None else request.count
    return await _search(call, raw_filter, start, count, parameters)


async def _search(
    call: Call,
    raw_filter: str | None,
    start_index: int,
    count: int,
    parameters: ResponseParameters[PortalUser],
) -> Response:
    where = _filter(raw_filter)
    start = max(1, start_index)
    count = min(MAX_RESULTS, max(0, count))
    total, rows = await scim.list_users(
        call.session, call.caller, where, offset=start - 1, limit=count
    )
    listing = ListResponse[PortalUser](
        total_results=total,
        start_index=start,
        items_per_page=len(rows),
        resources=[_resource(row, call.base) for row in rows],
    )
    payload = listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=parameters)
    return _json(payload)


def _lenient(body: dict[str, Any]) -> dict[str, Any]:
    if not body.get("emails") and isinstance(body.get("userName"), str):
        return {**body, "emails": [{"value": body["userName"], "primary": True}]}
    return body


async def _create_user(call: Call) -> Response:
    body = _lenient(await call.body())
    try:
        resource = PortalUser.model_validate(body, scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    except ValidationError as exc:
        raise _validation_fault(exc) from None
    user = await scim.create_user(
        call.session,
        call.caller,
        call.meta,
        _data(resource),
        allow_test_domains=not call.services.settings.production,
        welcome=call.welcome,
    )
    return call.one(user, 201)


async def _get_user(call: Call) -> Response:
    user = await scim.get_user(call.session, call.caller, call.request.path_params["id"])
    if call.request.headers.get("if-none-match", "").strip() == _etag(user):
        return Response(status_code=304, headers={"ETag": _etag(user), **_HEADERS})
    return call.one(user)


async def _replace_user(call: Call) -> Response:
    body = _lenient(await call.body())
    user = await scim.lock_user(call.session, call.caller, call.request.path_params["id"])
    call.precondition(user)
    try:
        resource = PortalUser.model_validate(body, scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    except ValidationError as exc:
        raise _validation_fault(exc) from None
    user = await scim.replace_user(
        call.session, call.caller, call.meta, user, _data(resource), welcome=call.welcome
    )
    return call.one(user)


async def _patch_user(call: Call) -> Response:
    body = await call.body()
    user = await scim.lock_user(call.session, call.caller, call.request.path_params["id"])
    call.precondition(user)
    try:
        patch = PatchOp[PortalUser].model_validate(body, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    except ValidationError as exc:
        raise _validation_fault(exc) from None
    resource = _resource(user, call.base)
    patch.patch(resource)
    user = await scim.replace_user(
        call.session, call.caller, call.meta, user, _data(resource), welcome=call.welcome
    )
    return call.one(user)


async def _delete_user(call: Call) -> Response:
    user = await scim.lock_user(call.session, call.caller, call.request.path_params["id"])
    call.precondition(user)
    await scim.delete_user(call.session, call.caller, call.meta, str(user.id))
    return Response(status_code=204, headers=_HEADERS)


# --- groups: the roles, and the directory's own ---------------------------------------------------

_GROUP_EQUALS = re.compile(
    r'^\s*(displayName|externalId|id)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$', re.IGNORECASE
)
_GROUP_ATTRIBUTE = {"displayname": "displayName", "externalid": "externalId", "id": "id"}


def _member(member: scim.Member, base: str) -> GroupMember:
    user = member.user
    return GroupMember(
        value=str(user.id),
        ref=f"{base}/Users/{user.id}",
        display=member.display or user.user_name,
        type="User",
    )


async def _group(call: Call, chosen: scim.Group) -> Group:
    members = await scim.group_members(call.session, call.caller, chosen)
    return Group(
        id=chosen.id,
        display_name=chosen.display_name,
        members=[GroupMember(value=str(u.id), display=u.user_name, type="User") for u in members]
        or None,
        meta=Meta(resource_type="Group", location=f"{call.base}/Groups/{chosen.id}"),
    )


def _group_etag(group: ScimGroup) -> str:
    return f'W/"{group.version}"'


def _own_group(group: ScimGroup, members: list[scim.Member], base: str) -> Group:
    return Group(
        id=str(group.id),
        external_id=group.external_id,
        display_name=group.display_name,
        members=[_member(member, base) for member in members] or None,
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=group.updated_at,
            location=f"{base}/Groups/{group.id}",
            version=_group_etag(group),
        ),
    )


async def _own(call: Call, group: ScimGroup) -> Group:
    members = await scim.members_of(call.session, [group])
    return _own_group(group, members[group.id], call.base)


def _response_parameters(request: Request, model: type[_Parameters]) -> _Parameters:
    """``attributes``/``excludedAttributes`` of the query, checked against the resource's schema."""
    query = request.query_params
    try:
        return model.model_validate(
            {
                "attributes": query.get("attributes"),
                "excludedAttributes": query.get("excludedAttributes"),
            }
        )
    except ValidationError:
        raise errors.ScimFault(
            400, errors.INVALID_VALUE, "attributes or excludedAttributes names no attribute."
        ) from None


def _group_parameters(call: Call) -> ResponseParameters[Group]:
    return _response_parameters(call.request, ResponseParameters[Group])


async def _one_own(call: Call, group: ScimGroup, status: int = 200) -> Response:
    resource = await _own(call, group)
    context = (
        Context.RESOURCE_CREATION_RESPONSE if status == 201 else Context.RESOURCE_QUERY_RESPONSE
    )
    payload = resource.model_dump(scim_ctx=context, response_parameters=_group_parameters(call))
    headers = {"ETag": _group_etag(group)}
    if status == 201:
        headers["Location"] = f"{call.base}/Groups/{group.id}"
    return _json(payload, status, headers)


def _group_precondition(call: Call, group: ScimGroup) -> None:
    expected = call.request.headers.get("if-match")
    if expected is not None and expected.strip() not in ("*", _group_etag(group)):
        raise errors.ScimFault(412, None, "The resource has changed (If-Match).")


def _group_filter(raw: str | None) -> scim.Filter | None:
    if raw is None or not raw.strip():
        return None
    match = _GROUP_EQUALS.match(raw)
    if match is None:
        raise errors.ScimFault(
            400,
            errors.INVALID_FILTER,
            'Filters supported: displayName eq "…", externalId eq "…", id eq "…".',
        )
    try:
        value = json.loads(match.group(2))
    except ValueError:
        raise errors.ScimFault(400, errors.INVALID_FILTER, "Not a valid string.") from None
    return scim.Filter(_GROUP_ATTRIBUTE[match.group(1).lower()], value)


async def _list_groups(call: Call) -> Response:
    query = call.request.query_params
    where = _group_filter(query.get("filter"))
    parameters = _group_parameters(call)
    start = max(1, _integer(query.get("startIndex"), 1, "startIndex"))
    count = min(MAX_RESULTS, max(0, _integer(query.get("count"), DEFAULT_COUNT, "count")))
    total, rows = await scim.list_groups(
        call.session, call.caller, where, offset=start - 1, limit=count
    )
    groups = await _group_resources(call, rows)
    listing = ListResponse[Group](
        total_results=total, start_index=start, items_per_page=len(groups), resources=groups
    )
    payload = listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=parameters)
    return _json(payload)


def _group_data(resource: Group) -> scim.GroupData:
    return scim.GroupData(
        display_name=resource.display_name or "",
        external_id=resource.external_id,
        members=tuple((m.value, m.display) for m in resource.members or [] if m.value),
    )


async def _create_group(call: Call) -> Response:
    body = await call.body()
    try:
        resource = Group.model_validate(body, scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    except ValidationError as exc:
        raise _validation_fault(exc) from None
    group = await scim.create_group(call.session, call.caller, call.meta, _group_data(resource))
    return await _one_own(call, group, 201)


async def _get_group(call: Call) -> Response:
    group_id = call.request.path_params["id"]
    chosen = scim.fixed_group(group_id)
    if chosen is not None:
        current = await _group(call, chosen)
        return _json(current.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    group = await scim.get_group(call.session, call.caller, group_id)
    if call.request.headers.get("if-none-match", "").strip() == _group_etag(group):
        return Response(status_code=304, headers={"ETag": _group_etag(group), **_HEADERS})
    return await _one_own(call, group)


async def _change_group(call: Call, chosen: scim.Group, before: Group, after: Group) -> Response:
    if (after.display_name or "").casefold() != chosen.display_name.casefold():
        raise errors.ScimFault(400, errors.MUTABILITY, "A group's displayName is its role's.")
    old = {m.value for m in before.members or [] if m.value}
    new = {m.value for m in after.members or [] if m.value}
    await scim.change_group(
        call.session, call.caller, call.meta, chosen, added=new - old, removed=old - new
    )
    current = await _group(call, chosen)
    return _json(current.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _group_patch(body: dict[str, Any]) -> PatchOp[Group]:
    try:
        return PatchOp[Group].model_validate(body, scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    except ValidationError as exc:
        raise _validation_fault(exc) from None


async def _patch_group(call: Call) -> Response:
    body = await call.body()
    group_id = call.request.path_params["id"]
    chosen = scim.fixed_group(group_id)
    if chosen is not None:
        patch = _group_patch(body)
        before = await _group(call, chosen)
        after = before.model_copy(deep=True)
        patch.patch(after)
        return await _change_group(call, chosen, before, after)
    group = await scim.lock_group(call.session, call.caller, group_id)
    _group_precondition(call, group)
    patch = _group_patch(body)
    resource = await _own(call, group)
    patch.patch(resource)
    group = await scim.replace_group(
        call.session, call.caller, call.meta, group, _group_data(resource)
    )
    return await _one_own(call, group)


async def _replace_group(call: Call) -> Response:
    body = await call.body()
    group_id = call.request.path_params["id"]
    chosen = scim.fixed_group(group_id)
    if chosen is None:
        group = await scim.lock_group(call.session, call.caller, group_id)
        _group_precondition(call, group)
    try:
        after = Group.model_validate(body, scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    except ValidationError as exc:
        raise _validation_fault(exc) from None
    if chosen is not None:
        return await _change_group(call, chosen, await _group(call, chosen), after)
    group = await scim.replace_group(
        call.session, call.caller, call.meta, group, _group_data(after)
    )
    return await _one_own(call, group)


async def _delete_group(call: Call) -> Response:
    group_id = call.request.path_params["id"]
    if scim.fixed_group(group_id) is not None:
        raise errors.ScimFault(
            403, None, "Admins and Users are the portal's roles: they are not deleted."
        )
    group = await scim.lock_group(call.session, call.caller, group_id)
    _group_precondition(call, group)
    await scim.delete_group(call.session, call.caller, call.meta, group)
    return Response(status_code=204, headers=_HEADERS)


_ANY_EQUALS = re.compile(
    r'^\s*(userName|displayName|externalId|id)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$', re.IGNORECASE
)
_USERS_BY = {"userName", "externalId", "id"}
_GROUPS_BY = {"displayName", "externalId", "id"}
_NONE = scim.Filter("id", "")  # no id is empty


@dataclass(frozen=True, slots=True)
class _Search:
    """A search's body (RFC 7644 §3.4.3), its attribute selection applied to either kind."""

    raw_filter: str | None
    attributes: list[str] | None
    excluded_attributes: list[str] | None
    start: int
    count: int


async def _search_body(call: Call) -> _Search:
    body = await call.body()
    try:
        request = SearchRequest[Resource[Any]].model_validate(
            {key: value for key, value in body.items() if key not in ("filter", "sortBy")},
            scim_ctx=Context.SEARCH_REQUEST,
        )
    except ValidationError as exc:
        raise _validation_fault(exc) from None
    raw_filter = body.get("filter")
    if raw_filter is not None and not isinstance(raw_filter, str):
        raise errors.ScimFault(400, errors.INVALID_FILTER, "filter is a string.")
    return _Search(
        raw_filter,
        [str(a) for a in request.attributes] if request.attributes else None,
        [str(a) for a in request.excluded_attributes] if request.excluded_attributes else None,
        max(1, request.start_index or 1),
        min(MAX_RESULTS, max(0, DEFAULT_COUNT if request.count is None else request.count)),
    )


def _selected(resource: PortalUser | Group, search: _Search) -> dict[str, Any]:
    kind: Any = PortalUser if isinstance(resource, PortalUser) else Group
    parameters = ResponseParameters[kind](
        attributes=search.attributes, excluded_attributes=search.excluded_attributes
    )
    dumped: dict[str, Any] = resource.model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=parameters
    )
    return dumped


def _search_listing(total: int, start: int, items: list[dict[str, Any]]) -> Response:
    # Each item is already dumped with its own kind's selection (a ListResponse takes one kind).
    return _json(
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(items),
            "Resources": items,
        }
    )


async def _group_resources(call: Call, rows: list[scim.Group | ScimGroup]) -> list[Group]:
    own = [row for row in rows if isinstance(row, ScimGroup)]
    members = await scim.members_of(call.session, own)
    return [
        _own_group(row, members[row.id], call.base)
        if isinstance(row, ScimGroup)
        else await _group(call, row)
        for row in rows
    ]


async def _search_groups(call: Call) -> Response:
    """POST /Groups/.search: the query in the body."""
    search = await _search_body(call)
    total, rows = await scim.list_groups(
        call.session,
        call.caller,
        _group_filter(search.raw_filter),
        offset=search.start - 1,
        limit=search.count,
    )
    groups = await _group_resources(call, rows)
    return _search_listing(total, search.start, [_selected(g, search) for g in groups])


async def _search_all(call: Call) -> Response:
    """POST /.search (RFC 7644 §3.4.3): users, then groups, one page over both."""
    search = await _search_body(call)
    users_by: scim.Filter | None = None
    groups_by: scim.Filter | None = None
    if search.raw_filter is not None and search.raw_filter.strip():
        match = _ANY_EQUALS.match(search.raw_filter)
        if match is None:
            raise errors.ScimFault(
                400,
                errors.INVALID_FILTER,
                'Filters supported: userName, displayName, externalId or id eq "…".',
            )
        try:
            value = json.loads(match.group(2))
        except ValueError:
            raise errors.ScimFault(400, errors.INVALID_FILTER, "Not a valid string.") from None
        attribute = {a.lower(): a for a in (*_USERS_BY, *_GROUPS_BY)}[match.group(1).lower()]
        # An attribute the kind lacks matches none of it (an id that is no UUID finds none).
        users_by = scim.Filter(attribute, value) if attribute in _USERS_BY else _NONE
        groups_by = scim.Filter(attribute, value) if attribute in _GROUPS_BY else _NONE
    offset = search.start - 1
    users_total, users = await scim.list_users(
        call.session, call.caller, users_by, offset=offset, limit=search.count
    )
    groups_total, rows = await scim.list_groups(
        call.session,
        call.caller,
        groups_by,
        offset=max(0, offset - users_total),
        limit=search.count - len(users),
    )
    items = [_selected(_resource(u, call.base), search) for u in users]
    items += [_selected(g, search) for g in await _group_resources(call, rows)]
    return _search_listing(users_total + groups_total, search.start, items)


async def _not_found(call: Call) -> Response:
    raise errors.ScimFault(404, None, "No such endpoint.")


_ANY = ("GET", "POST", "PUT", "PATCH", "DELETE")


def scim_routes() -> list[BaseRoute]:
    routes = [
        Route("/ServiceProviderConfig", _endpoint({"GET": _service_provider_config})),
        Route("/ResourceTypes", _endpoint({"GET": _resource_types})),
        Route(
            "/ResourceTypes/{id}",
            _endpoint({"GET": _one_of("ResourceType", _resource_type, _group_type)}),
        ),
        Route("/Schemas", _endpoint({"GET": _schemas})),
        Route("/Schemas/{id:path}", _endpoint({"GET": _one_of("Schema", _schema, _group_schema)})),
        Route("/.search", _endpoint({"POST": _search_all})),
        Route("/Users", _endpoint({"GET": _list_users, "POST": _create_user})),
        Route("/Users/.search", _endpoint({"POST": _search_users})),
        Route("/Groups/.search", _endpoint({"POST": _search_groups})),
        Route(
            "/Users/{id}",
            _endpoint(
                {
                    "GET": _get_user,
                    "PUT": _replace_user,
                    "PATCH": _patch_user,
                    "DELETE": _delete_user,
                }
            ),
        ),
        Route("/Groups", _endpoint({"GET": _list_groups, "POST": _create_group})),
        Route(
            "/Groups/{id}",
            _endpoint(
                {
                    "GET": _get_group,
                    "PUT": _replace_group,
                    "PATCH": _patch_group,
                    "DELETE": _delete_group,
                }
            ),
        ),
        Route("/{rest:path}", _endpoint(dict.fromkeys(_ANY, _not_found))),
    ]
    for route in routes:
        # Every method reaches the endpoint, which answers a 405 in SCIM's format itself.
        assert isinstance(route, Route)
        route.methods = {*_ANY, "HEAD"}
    return [Mount(PREFIX, routes=routes)]
