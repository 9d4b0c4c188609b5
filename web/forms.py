"""Reading ``application/x-www-form-urlencoded`` bodies with a size cap.

Hosted-page forms and OAuth endpoints take small bodies; anything larger than ``max_bytes`` is
refused before it is buffered whole. Repeated fields are kept (OAuth refuses repeated parameters,
so it must be able to see them).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

DEFAULT_MAX_BYTES = 64 * 1024
MAX_FIELDS = 100


class BodyTooLarge(Exception):
    pass


class MalformedForm(Exception):
    pass


async def read_urlencoded(
    request: Request, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[tuple[str, str]]:
    """The form fields in order; empty when the body is not urlencoded."""
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise BodyTooLarge()
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise BodyTooLarge()
    if content_type != "application/x-www-form-urlencoded":
        return []
    try:
        return parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedForm() from exc


def first(fields: list[tuple[str, str]], name: str) -> str | None:
    for key, value in fields:
        if key == name:
            return value
    return None
