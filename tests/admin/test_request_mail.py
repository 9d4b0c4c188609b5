"""A new partner request mails every internal admin (one mail per request and admin, through the
outbox, delivered by the real SMTP server), except those who turned it off on their Account page
(``updateAdminNotificationSettings``: internal admins only, audited)."""

from __future__ import annotations

from typing import Any

from domain.enums import Role, UserStatus
from runtime import Services
from tests.accounts.journeys import JOIN_PARTNER, outbox_mails, partner_form
from tests.audit.support import audit_events
from tests.factories import add_member, create_actor, create_step_code, create_user
from tests.support.gql import USER_ERRORS, call, data, error_code, ok, payload_for
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink

SETTINGS = "query { adminNotificationSettings { partnerRequestMail } }"
# The same settings through the admin's landing (the console's Account page asks them there).
LANDING_SETTINGS = """
{ landing { ... on AdminLanding { notificationSettings { partnerRequestMail } } } }
"""
UPDATE = f"""
mutation($input: UpdateAdminNotificationSettingsInput!) {{
  updateAdminNotificationSettings(input: $input) {{
    settings {{ partnerRequestMail }}
    {USER_ERRORS}
  }}
}}
"""
SUBJECT = "New STEP partner request"


async def join(live: LiveServer, services: Services, **overrides: Any) -> dict[str, Any]:
    form = partner_form(await create_step_code(services), **overrides)
    payload = await payload_for(live, None, JOIN_PARTNER, {"input": form})
    assert payload == {"accepted": True, "userErrors": []}, payload
    return form


async def arrived(live: LiveServer, email: str) -> list[str]:
    return [
        m.subject
        for m in await outbox_mails(live, email)
        if m.template == "partner_request_arrived"
    ]


async def test_each_admin_gets_one_mail_per_request_unless_opted_out(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    first = await create_actor(services, role=Role.INTERNAL_ADMIN)
    second = await create_actor(services, role=Role.INTERNAL_ADMIN)
    quiet = await create_actor(services, role=Role.INTERNAL_ADMIN)
    async with services.db.unit_of_work() as session:
        # A pending admin (never activated) is nobody's reviewer yet.
        pending = await create_user(session, status=UserStatus.PENDING)
        organization = await session.get(type(first.organization), first.organization.id)
        assert organization is not None
        await add_member(session, pending, organization, Role.INTERNAL_ADMIN)

    assert (await data(live, quiet, SETTINGS))["adminNotificationSettings"] == {
        "partnerRequestMail": True
    }
    off = await ok(live, quiet, UPDATE, {"input": {"partnerRequestMail": False}})
    assert off["settings"] == {"partnerRequestMail": False}
    assert (await data(live, quiet, SETTINGS))["adminNotificationSettings"] == {
        "partnerRequestMail": False
    }
    landing = (await data(live, quiet, LANDING_SETTINGS))["landing"]
    assert landing == {"notificationSettings": {"partnerRequestMail": False}}
    assert (await data(live, first, LANDING_SETTINGS))["landing"] == {
        "notificationSettings": {"partnerRequestMail": True}
    }

    form = await join(live, services, companyName="Nordlicht Sicherheit <b>")
    for admin in (first, second):
        (mail,) = await smtp.wait_for(admin.user.email, subject=SUBJECT)
        assert form["companyName"] in mail.subject
        text = mail.text
        assert form["email"] in text and form["stepPartnerCode"] in text
        assert f"{live.url}/\n" in text.replace("\r\n", "\n")  # the Partner requests page
        assert f"{live.url}/account" in text
        assert "Nordlicht Sicherheit &lt;b&gt;" in mail.html  # escaped in HTML
    assert await arrived(live, quiet.user.email) == []
    assert await arrived(live, pending.email) == []

    # The same request sent again is the one already waiting: no second mail.
    again = partner_form(form["stepPartnerCode"], email=form["email"])
    assert (await payload_for(live, None, JOIN_PARTNER, {"input": again}))["accepted"]
    # A second request: one more mail each (and the quiet admin, back on, gets it too).
    await ok(live, quiet, UPDATE, {"input": {"partnerRequestMail": True}})
    await join(live, services)
    for admin in (first, second, quiet):
        await smtp.wait_for(admin.user.email, 1 if admin is quiet else 2, subject=SUBJECT)
    assert len(await arrived(live, first.user.email)) == 2
    assert len(await arrived(live, quiet.user.email)) == 1


async def test_a_known_address_makes_no_request_and_no_admin_mail(
    live: LiveServer, services: Services
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    customer = await create_actor(services)
    await join(live, services, email=customer.user.email)
    assert await arrived(live, admin.user.email) == []  # the rehearsal's mail was rolled back


async def test_the_setting_is_the_admins_own_and_audited(
    live: LiveServer, services: Services
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    for role in (Role.SUPER_ADMIN, Role.ADMIN, Role.USER):
        someone = await create_actor(services, role=role)
        assert error_code(await call(live, someone, SETTINGS)) == "FORBIDDEN"
        refused = await call(live, someone, UPDATE, {"input": {"partnerRequestMail": False}})
        assert error_code(refused) == "FORBIDDEN"
    assert error_code(await call(live, None, SETTINGS)) == "UNAUTHENTICATED"

    await ok(live, admin, UPDATE, {"input": {"partnerRequestMail": False}})
    await ok(live, admin, UPDATE, {"input": {"partnerRequestMail": False}})  # no change
    await ok(live, admin, UPDATE, {"input": {"partnerRequestMail": True}})
    events = await audit_events(services, "admin.notifications_changed")
    assert [e.details for e in events] == [
        {"partner_request_mail": False},
        {"partner_request_mail": True},
    ]
    assert {(e.actor_user_id, e.target_id) for e in events} == {(admin.user.id, str(admin.user.id))}
