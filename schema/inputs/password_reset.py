"""The reset-password form: the emailed link's token and the new password."""

from __future__ import annotations

import strawberry


@strawberry.input(description="The reset page: the emailed link's token and a new password.")
class ResetPasswordInput:
    token: str = strawberry.field(description="The `token` of the emailed /reset-password link.")
    new_password: str = strawberry.field(description="The new password (checked for strength).")
