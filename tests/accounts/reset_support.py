"""What the password-reset tests share: the documents and reading the reset link."""

from __future__ import annotations

import re
from typing import Any

from tests.accounts.journeys import Mail
from tests.support.gql import USER_ERRORS, payload_for
from tests.support.server import LiveServer

REQUEST_RESET = f"""
mutation($email: String!) {{ requestPasswordReset(email: $email) {{ accepted {USER_ERRORS} }} }}
"""
RESET = f"""
mutation($input: ResetPasswordInput!) {{
  resetPassword(input: $input) {{ reset message {USER_ERRORS} }}
}}
"""
NEW_PASSWORD = "amber lanterns drift over 9 quiet harbors"


def reset_link(mail: Mail) -> str:
    match = re.search(r"(\S+/reset-password\?token=[A-Za-z0-9_\-]+)", mail.text)
    assert match, mail.text
    return match.group(1)


def reset_token(mail: Mail) -> str:
    return reset_link(mail).split("token=", 1)[1]


async def request_reset(live: LiveServer, email: str) -> dict[str, Any]:
    payload: dict[str, Any] = await payload_for(live, None, REQUEST_RESET, {"email": email})
    return payload


async def reset(live: LiveServer, token: str, password: str = NEW_PASSWORD) -> dict[str, Any]:
    payload: dict[str, Any] = await payload_for(
        live, None, RESET, {"input": {"token": token, "newPassword": password}}
    )
    return payload
