"""The base class of the generated client: codegen copies this file into console/api/ (import it
from there). One POST per operation over the injected httpx client, with the person's access
token and working organization."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

# This file is a template: codegen copies it next to base_model.py in console/api.
from .base_model import UnsetType

ORGANIZATION_HEADER = "X-Organization-Id"


class ApiError(Exception):
    """A GraphQL error (not a userError): ``code`` is its ``extensions.code`` when it has one;
    ``data`` is what the answer held besides (a refused nullable field leaves the rest: the
    page's frame, for the error page)."""

    def __init__(self, code: str, message: str = "", data: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.data = data


def _plain(value: Any) -> Any:
    """Generated input types as GraphQL names (camelCase) in JSON, unset fields left out;
    scalars (a ``DateTime``) as JSON too."""
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, mode="json", exclude_unset=True)
    return to_jsonable_python(value)


class ConsoleBaseClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        url: str,
        *,
        access_token: str,
        organization_id: str | None = None,
    ) -> None:
        self.http = http
        self.url = url
        self.headers = {"Authorization": f"Bearer {access_token}"}
        if organization_id:
            self.headers[ORGANIZATION_HEADER] = organization_id

    async def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        return await self.http.post(
            self.url,
            json={
                "query": query,
                "operationName": operation_name,
                "variables": {
                    k: _plain(v)
                    for k, v in (variables or {}).items()
                    if not isinstance(v, UnsetType)
                },
            },
            headers=self.headers,
        )

    def get_data(self, response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 500:
            raise ApiError("UNAVAILABLE", f"the API answered {response.status_code}")
        try:
            body = response.json()
        except ValueError as exc:
            raise ApiError("UNAVAILABLE", "the API answered something other than JSON") from exc
        errors = body.get("errors") if isinstance(body, dict) else None
        data = body.get("data") if isinstance(body, dict) else None
        if errors:
            first = errors[0]
            code = (first.get("extensions") or {}).get("code") or "ERROR"
            partial = data if isinstance(data, dict) else None
            raise ApiError(str(code), str(first.get("message", "")), partial)
        if not isinstance(data, dict):
            raise ApiError("UNAVAILABLE", "no data")
        return data
