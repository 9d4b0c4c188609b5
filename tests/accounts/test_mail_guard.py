"""The mail-bombing guard: per recipient at most one activation mail a minute and five a day,
silently — the answers do not change, and a held-back resend leaves the mailed link working."""

from __future__ import annotations

import pytest

from runtime import Services
from tests.accounts.journeys import RESEND, activate, outbox_mails, register
from tests.support.gql import payload_for
from tests.support.server import LiveServer


async def test_a_second_mail_within_a_minute_is_held_back(
    live: LiveServer, services: Services
) -> None:
    form = await register(live)
    (mail,) = await outbox_mails(live, form["email"])
    for _ in range(3):
        answer = await payload_for(live, None, RESEND, {"email": form["email"]})
        assert answer == {"accepted": True, "userErrors": []}
    assert len(await outbox_mails(live, form["email"])) == 1
    # Nothing was replaced, so the first email's link and code still work.
    result = await activate(live, mail.activation_token, mail.activation_code)
    assert result["activated"] is True


@pytest.mark.parametrize(
    "settings_overrides",
    [{"mail_per_recipient_per_minute": 100, "mail_per_recipient_per_day": 3}],
)
async def test_at_most_the_daily_budget_reaches_a_recipient(
    live: LiveServer, services: Services
) -> None:
    form = await register(live)
    for _ in range(5):
        await payload_for(live, None, RESEND, {"email": form["email"]})
    mails = await outbox_mails(live, form["email"])
    assert len(mails) == 3
    # The last one mailed is the live one.
    result = await activate(live, mails[-1].activation_token, mails[-1].activation_code)
    assert result["activated"] is True
