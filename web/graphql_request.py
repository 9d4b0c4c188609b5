"""GraphQL over HTTP, the request side: what we accept and how we refuse the rest.

Rules (SECURITY.md "GraphQL", the GraphQL-over-HTTP spec):

* ``POST`` with a JSON body (``application/json`` or ``application/graphql-response+json``, UTF-8)
  holding one object ``{query, variables?, operationName?, extensions?}``. A JSON array (batching)
  and multipart bodies are refused. Requiring a JSON content type also keeps the endpoint out of
  reach of HTML forms (a cross-site form can only send "simple" content types).
* ``GET`` with the same parameters in the query string, for queries only.
* A body over the limit is refused from its ``Content-Length`` or as soon as it grows past it.
* Text must be valid Unicode (no unpaired surrogates) without NUL characters: PostgreSQL cannot
  store NUL, SQLite would, and both engines must behave the same.

Refusals are ``RequestError``s: an HTTP status, a stable code, a message for the client.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from schema.errors import ErrorCode

JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
REQUEST_MEDIA_TYPES = frozenset({JSON, GRAPHQL_RESPONSE_JSON})
_PARAMETERS = ("query", "variables", "operationName", "extensions")
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class RequestError(Exception):
    def __init__(
        self,
        status: int,
        code: ErrorCode,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def bad_request(message: str, code: ErrorCode = ErrorCode.BAD_REQUEST) -> RequestError:
    return RequestError(400, code, message)


@dataclass(frozen=True, slots=True)
class GraphQLParams:
    query: str
    variables: dict[str, Any] | None = None
    operation_name: str | None = None
    extensions: dict[str, Any] | None = field(default=None)


# --- content negotiation ---------------------------------------------------------------------


def _media_range(part: str) -> tuple[str, float]:
    kind, *params = (p.strip() for p in part.split(";"))
    quality = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value.strip())
            except ValueError:
                quality = 0.0
    return kind.lower(), quality


def negotiate(accept: str | None) -> str:
    """The response media type: the one the client prefers (by q, then how exactly it is named,
    then its position); ``application/json`` when the header is absent, names neither, or names
    them only through ``*/*`` / ``application/*``."""
    if not accept or not accept.strip():
        return JSON
    ranges = [_media_range(part) for part in accept.split(",") if part.strip()]
    best: tuple[float, int, int] | None = None
    chosen = JSON
    for candidate in (JSON, GRAPHQL_RESPONSE_JSON):
        match: tuple[float, int, int] | None = None
        for position, (kind, quality) in enumerate(ranges):
            if kind == candidate:
                specificity = 2
            elif kind == "application/*":
                specificity = 1
            elif kind == "*/*":
                specificity = 0
            else:
                continue
            key = (quality, specificity, -position)
            # The most specific range that matches decides the quality (RFC 9110 §12.5.1).
            if match is None or specificity > match[1]:
                match = key
        if match is not None and match[0] > 0 and (best is None or match > best):
            best, chosen = match, candidate
    return chosen


def wants_html(accept: str | None) -> bool:
    return bool(accept) and "text/html" in (accept or "").lower()


# --- POST ------------------------------------------------------------------------------------


def check_content_type(content_type: str | None) -> None:
    kind, *params = (p.strip() for p in (content_type or "").split(";"))
    if kind.lower() not in REQUEST_MEDIA_TYPES:
        raise RequestError(
            415,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "Send the GraphQL request as JSON: Content-Type: application/json.",
        )
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in {
            "utf-8",
            "utf8",
        }:
            raise RequestError(
                415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The request body must be UTF-8."
            )


def _too_large(limit: int) -> RequestError:
    return RequestError(
        413, ErrorCode.PAYLOAD_TOO_LARGE, f"The request body is larger than {limit} bytes."
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused (413) as soon as it is known to exceed ``limit``: from its declared
    length before reading anything, or while it streams in."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise bad_request("The Content-Length header is not a number.")
        if int(declared) > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def params_from_body(body: bytes) -> GraphQLParams:
    if not body.strip():
        raise bad_request('The request body is empty: send a JSON object such as {"query": …}.')
    failure: str | None = None
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        failure = "The request body is not valid UTF-8."
    except ValueError:  # JSONDecodeError, NaN/Infinity, integers over Python's digit limit
        failure = "The request body is not valid JSON."
    except RecursionError:
        failure = "The request body is nested too deeply."
    if failure is not None:
        raise bad_request(failure)
    if isinstance(data, list):
        raise bad_request(
            "Batched requests (a JSON array) are not supported: send one operation per request."
        )
    if not isinstance(data, dict):
        raise bad_request('The request body must be a JSON object such as {"query": …}.')
    return _params(data)


# --- GET -------------------------------------------------------------------------------------


def params_from_query_string(items: Sequence[tuple[str, str]]) -> GraphQLParams:
    values: dict[str, Any] = {}
    for name, value in items:
        if name not in _PARAMETERS:
            continue
        if name in values:
            raise bad_request(f"The parameter `{name}` is given more than once.")
        values[name] = value
    for name in ("variables", "extensions"):
        raw = values.get(name)
        if raw in (None, ""):
            values[name] = None
            continue
        failure = None
        try:
            values[name] = json.loads(raw, parse_constant=_reject_constant)
        except ValueError:
            failure = f"The parameter `{name}` must be a JSON object."
        except RecursionError:
            failure = f"The parameter `{name}` is nested too deeply."
        if failure is not None:
            raise bad_request(failure)
    return _params(values)


# --- both ------------------------------------------------------------------------------------


def _params(data: dict[str, Any]) -> GraphQLParams:
    query = data.get("query")
    if query is None:
        raise bad_request("The request has no `query`: send the GraphQL document as a string.")
    if not isinstance(query, str):
        raise bad_request("`query` must be a string holding a GraphQL document.")
    if not query.strip():
        raise bad_request("`query` is empty: send a GraphQL document.")
    variables = data.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise bad_request("`variables` must be a JSON object (or null).")
    operation_name = data.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise bad_request("`operationName` must be a string (or null).")
    extensions = data.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise bad_request("`extensions` must be a JSON object (or null).")
    if _has_bad_text([query, operation_name, variables]):
        raise RequestError(
            400,
            ErrorCode.BAD_USER_INPUT,
            "Text in the request must be valid Unicode without NUL characters (U+0000) or "
            "unpaired surrogates.",
        )
    return GraphQLParams(
        query=query,
        variables=variables,
        operation_name=operation_name or None,
        extensions=extensions,
    )


def _has_bad_text(values: list[Any]) -> bool:
    """Whether any string (or object key) in a JSON value holds NUL or a lone surrogate.
    Iterative: a JSON value may be nested as deeply as the JSON parser allowed."""
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _BAD_TEXT.search(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False
