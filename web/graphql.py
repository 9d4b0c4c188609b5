"""The GraphQL HTTP endpoint: GraphQL over HTTP, hardened, in front of Strawberry's schema.

Not Strawberry's ASGI view: it answers request errors with ``text/plain`` bodies, accepts any
content type that contains "application/json", reads bodies of any size, and picks neither the
response media type nor the status codes the GraphQL-over-HTTP spec asks for. This endpoint does
the HTTP part itself (web/graphql_request.py) and runs the operation with ``schema.execute``.

Responses:

* ``application/graphql-response+json`` when the client accepts it (it prefers it, by the Accept
  header), ``application/json`` otherwise.
* A request that fails before execution (parse, validation, limits, variable values): no ``data``
  entry; status 400 with ``application/graphql-response+json``, 200 with ``application/json``
  (as the spec recommends for each). A request refused at the HTTP level (405, 413, 415, 400):
  that status with either media type. An execution result (``data`` present, even null): 200.
* A dependency that is down: ``SERVICE_UNAVAILABLE`` errors and ``Retry-After``; when nothing was
  answered, 503 and no ``data`` entry (a request-level failure, where both media types allow 5xx).
* Every error has ``extensions.code`` (schema/errors.py ``ErrorCode``), unexpected ones masked.
* ``Cache-Control: no-store`` always: answers depend on the bearer token.
"""

from __future__ import annotations

import json
import re
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.exceptions import MissingQueryError
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from identity.authenticate import ORGANIZATION_HEADER, authenticate
from runtime import Services
from schema.context import Context
from schema.errors import ErrorCode
from schema.extensions import mask_errors
from settings import Settings
from web.graphiql import local_graphiql
from web.graphql_request import (
    GRAPHQL_RESPONSE_JSON,
    GraphQLParams,
    RequestError,
    bad_request,
    check_content_type,
    negotiate,
    params_from_body,
    params_from_query_string,
    read_body,
    wants_html,
)
from web.request_meta import request_meta
from web.unavailable import retry_headers

_OPERATION_NAME = re.compile(r"^[_A-Za-z][_0-9A-Za-z]{0,99}$")
# API answers are data, never a page: nothing may frame, run or cache them.
_API_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Vary": "Accept",
}


class PortalGraphQL:
    """The ASGI app served at ``/graphql`` (GET and POST; anything else is 405)."""

    def __init__(self, schema: BaseSchema, settings: Settings) -> None:
        self.schema = schema
        self.max_body_bytes = settings.graphql_max_body_bytes
        # GraphiQL only in development (SECURITY.md): production has no page to show at all.
        self.graphiql: tuple[str, str] | None = None if settings.production else local_graphiql()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        media_type = negotiate(request.headers.get("accept"))
        try:
            response = await self._handle(request, media_type)
        except RequestError as error:
            response = _error_response(error, media_type)
        await response(scope, receive, send)

    async def get_context(self, request: Request, response: Response) -> Context:
        services: Services = request.state.services
        return Context(
            request=request,
            response=response,
            services=services,
            meta=request_meta(request, services.settings.trusted_proxies),
            authenticate=lambda: authenticate(
                services,
                request.headers.get("authorization"),
                request.headers.get(ORGANIZATION_HEADER),
            ),
        )

    async def _handle(self, request: Request, media_type: str) -> Response:
        if request.method == "GET":
            if (
                self.graphiql is not None
                and "query" not in request.query_params
                and wants_html(request.headers.get("accept"))
            ):
                page, policy = self.graphiql
                return HTMLResponse(
                    page,
                    headers={"Cache-Control": "no-store", "Content-Security-Policy": policy},
                )
            params = params_from_query_string(request.query_params.multi_items())
            allowed = {OperationType.QUERY}
        elif request.method == "POST":
            check_content_type(request.headers.get("content-type"))
            params = params_from_body(await read_body(request, self.max_body_bytes))
            allowed = {OperationType.QUERY, OperationType.MUTATION}
        else:
            raise RequestError(
                405,
                ErrorCode.METHOD_NOT_ALLOWED,
                "Use POST (or GET for queries).",
                headers={"Allow": "GET, POST"},
            )
        if params.operation_name and _OPERATION_NAME.match(params.operation_name):
            # For the access log (web/access_log.py): a GraphQL name cannot carry secrets.
            request.scope.setdefault("state", {})["graphql_operation"] = params.operation_name
        return await self._execute(request, params, allowed, media_type)

    async def _execute(
        self,
        request: Request,
        params: GraphQLParams,
        allowed: set[OperationType],
        media_type: str,
    ) -> Response:
        # Resolvers may set headers or a status on this sub-response (Strawberry's convention).
        sub_response = Response()
        sub_response.status_code = None  # type: ignore[assignment]
        del sub_response.headers["content-length"]
        context = await self.get_context(request, sub_response)
        try:
            result = await self.schema.execute(
                params.query,
                variable_values=params.variables,
                context_value=context,
                operation_name=params.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=params.extensions,
            )
        except InvalidOperationTypeError as exc:
            if exc.operation_type is OperationType.MUTATION:
                raise RequestError(
                    405,
                    ErrorCode.METHOD_NOT_ALLOWED,
                    "Mutations must be sent with POST.",
                    headers={"Allow": "POST"},
                ) from None
            raise bad_request(
                "Subscriptions are not supported.", ErrorCode.OPERATION_RESOLUTION_FAILURE
            ) from None
        except CannotGetOperationTypeError as exc:
            raise bad_request(
                f"The document has no operation named {exc.operation_name!r}."
                if exc.operation_name
                else "Cannot tell which operation to run: send a document with exactly one "
                "operation, or name one with `operationName`.",
                ErrorCode.OPERATION_RESOLUTION_FAILURE,
            ) from None
        except MissingQueryError:
            raise bad_request("The request has no `query`.") from None
        return _result_response(result, media_type, sub_response)


def _encode(payload: dict[str, Any]) -> bytes:
    # ensure_ascii: the body is plain ASCII whatever the data holds, so it is valid UTF-8 even if a
    # string ever carried a lone surrogate.
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _error_response(error: RequestError, media_type: str) -> Response:
    payload = {"errors": [{"message": error.message, "extensions": {"code": error.code.value}}]}
    return Response(
        _encode(payload),
        status_code=error.status,
        media_type=media_type,
        headers={**_API_HEADERS, **error.headers},
    )


def _is_request_error(result: ExecutionResult, errors: list[GraphQLError]) -> bool:
    """Errors before execution started (no field has a path): the response has no ``data``."""
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


def _unanswered(result: ExecutionResult) -> bool:
    """Nothing of the operation could be answered: no data, or only nulls at the top."""
    return not result.data or all(value is None for value in result.data.values())


def _result_response(result: ExecutionResult, media_type: str, sub_response: Response) -> Response:
    errors = mask_errors(result.errors or [])
    payload: dict[str, Any] = {}
    status = 200
    codes = {(e.extensions or {}).get("code") for e in errors}
    unavailable = ErrorCode.SERVICE_UNAVAILABLE.value in codes
    if unavailable and _unanswered(result):
        # A dependency is down and nothing was answered: a 503 (with no ``data`` entry, the shape
        # in which both media types allow a 5xx), so clients and proxies retry.
        status = 503
    elif _is_request_error(result, errors):
        if ErrorCode.INTERNAL_SERVER_ERROR.value in codes:
            status = 500
        elif (
            media_type == GRAPHQL_RESPONSE_JSON
            or ErrorCode.OPERATION_RESOLUTION_FAILURE.value in codes
        ):
            # Which operation to run is a parameter of the HTTP request: 400 like the others.
            status = 400
    else:
        payload["data"] = result.data
    if errors:
        payload["errors"] = [e.formatted for e in errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    response = Response(
        _encode(payload), status_code=status, media_type=media_type, headers=_API_HEADERS
    )
    if unavailable:
        response.headers.update(retry_headers())
    response.headers.raw.extend(sub_response.headers.raw)
    if sub_response.status_code:
        response.status_code = sub_response.status_code
    if sub_response.background:
        response.background = sub_response.background
    return response
