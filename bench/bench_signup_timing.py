"""Sign-up, partner join, resend and password-reset request times for new, known and unknown
emails, over HTTP on SQLite (``--postgres``: the local PostgreSQL).

No enumeration means "the same answer in about the same time" (SECURITY.md): this prints the
median latency of each pair of paths, interleaved, and their ratio (1.0 is indistinguishable).
Baselines: sign-up and partner join with a known email; resend and reset for an unknown email.
The "held" paths ask for one address every round (an active one; "pending held" a pending one):
past its daily budget (5) the mail guard holds its mail back.
Verdict: every ratio within [1/1.25, 1.25] (the farthest from 1.0 is judged).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from bench._verdict import verdict
from db import migrate
from domain.enums import UserStatus
from identity.keys import ensure_signing_key
from runtime import Services
from settings import Settings
from tests.factories import create_step_code, create_user
from tests.support.server import serve, test_public_url

ROUNDS = 40
GOAL = 1.25
QUERY = """
mutation($input: CreateCustomerOrganizationInput!) {
  createCustomerOrganization(input: $input) { accepted userErrors { code } }
}
"""
RESEND = """
mutation($email: String!) { resendActivation(email: $email) { accepted userErrors { code } } }
"""
JOIN = """
mutation($input: JoinAsStepPartnerInput!) {
  joinAsStepPartner(input: $input) { accepted userErrors { code } }
}
"""
RESET = """
mutation($email: String!) { requestPasswordReset(email: $email) { accepted userErrors { code } } }
"""


def _form(email: str) -> dict[str, object]:
    return {
        "organizationName": "Timing GmbH",
        "country": "DE",
        "address": "Hauptstraße 1",
        "phone": "+49 30 1234567",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "email": email,
        "acceptTermsOfService": True,
        "acceptPrivacyPolicy": True,
    }


def _join_form(email: str, code: str) -> dict[str, object]:
    form = _form(email)
    form["companyName"] = form.pop("organizationName")
    form["stepPartnerCode"] = code
    return form


async def _run(url: str, directory: Path) -> dict[str, list[float]]:
    await migrate.upgrade(url)
    settings = Settings(
        database_url=url,
        public_url=test_public_url(),
        mail_dir=str(directory / "mail"),
        rate_limit_registration_per_address="10000/hour",
        rate_limit_resend_per_address="10000/hour",
        rate_limit_password_reset_per_address="10000/hour",  # noqa: S106 (a rate)
        rate_limit_password_reset="10000/hour",  # noqa: S106 (the "held" paths ask one address)
        rate_limit_registration="10000/hour",
        rate_limit_resend="10000/hour",
        mail_per_recipient_per_minute=100,
        # The timing is of the requests: mail stays in the outbox (delivering it would only print
        # every message and compete for the CPU).
        outbox_workers=0,
    )
    services = Services.build(settings)
    async with services.db.unit_of_work() as session:
        await ensure_signing_key(session, bits=settings.signing_key_bits)
        known = [
            (
                await create_user(session, email=f"known-{i}-{uuid.uuid4().hex[:6]}@example.com")
            ).email
            for i in range(ROUNDS + 4)  # the last four are the "held" paths' alone
        ]
        held_pending = (await create_user(session, status=UserStatus.PENDING, password=None)).email
    held = dict(zip(("reset", "sign-up", "resend", "join"), known[ROUNDS:], strict=True))
    code = await create_step_code(services)
    times: dict[str, list[float]] = {
        "sign-up, new": [],
        "sign-up, known": [],
        "sign-up, held": [],
        "join, new": [],
        "join, known": [],
        "join, held": [],
        "resend, pending": [],
        "resend, active": [],
        "resend, held": [],
        "resend, pending held": [],
        "resend, unknown": [],
        "reset, active": [],
        "reset, pending": [],
        "reset, unknown": [],
        "reset, held": [],
    }
    pending: list[str] = []
    try:
        async with serve(settings, services) as live:
            for i in range(ROUNDS + 5):
                new = f"new-{uuid.uuid4().hex[:10]}@example.com"
                calls = [
                    ("sign-up, new", QUERY, {"input": _form(new)}),
                    ("sign-up, known", QUERY, {"input": _form(known[i % ROUNDS])}),
                    ("sign-up, held", QUERY, {"input": _form(held["sign-up"])}),
                    ("join, new", JOIN, {"input": _join_form(f"j-{new}", code)}),
                    ("join, known", JOIN, {"input": _join_form(known[(i + 2) % ROUNDS], code)}),
                    ("join, held", JOIN, {"input": _join_form(held["join"], code)}),
                    ("resend, pending", RESEND, {"email": pending[-1] if pending else new}),
                    ("resend, active", RESEND, {"email": known[(i + 3) % ROUNDS]}),
                    ("resend, held", RESEND, {"email": held["resend"]}),
                    ("resend, pending held", RESEND, {"email": held_pending}),
                    ("resend, unknown", RESEND, {"email": f"nobody-{i}@example.com"}),
                    ("reset, active", RESET, {"email": known[(i + 1) % ROUNDS]}),
                    ("reset, pending", RESET, {"email": pending[-2] if len(pending) > 1 else new}),
                    ("reset, unknown", RESET, {"email": f"nobody-{i}@example.com"}),
                    ("reset, held", RESET, {"email": held["reset"]}),
                ]
                pending.append(new)
                for label, query, variables in calls:
                    started = time.perf_counter()
                    body = await live.graphql(query, variables)
                    elapsed = time.perf_counter() - started
                    (payload,) = body["data"].values()
                    assert payload["accepted"], body
                    if i >= 5:  # warm-up rounds are not counted
                        times[label].append(elapsed)
    finally:
        await services.close()
    return times


def main(argv: list[str]) -> int:
    directory = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    postgres = "--postgres" in argv
    url = f"sqlite+aiosqlite:///{directory / 'bench.db'}"
    admin_db = None
    if postgres:
        from tests.support.databases import ADMIN_URL, _admin_execute, _with_database

        admin_db = f"portal_bench_{uuid.uuid4().hex[:10]}"
        asyncio.run(_admin_execute(f'CREATE DATABASE "{admin_db}"'))
        url = _with_database(ADMIN_URL, admin_db)
    try:
        times = asyncio.run(_run(url, directory))
    finally:
        if admin_db is not None:
            from tests.support.databases import _admin_execute

            asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{admin_db}" WITH (FORCE)'))
    medians = {label: statistics.median(values) for label, values in times.items()}
    for label, median in medians.items():
        print(f"{label:20} median {median * 1000:7.2f} ms over {len(times[label])}")
    ratios = []
    for flow, baseline, kinds in (
        ("sign-up", "known", ("new", "held")),
        ("join", "known", ("new", "held")),
        ("resend", "unknown", ("pending", "active", "held", "pending held")),
        ("reset", "unknown", ("active", "pending", "held")),
    ):
        for kind in kinds:
            ratio = medians[f"{flow}, {kind}"] / medians[f"{flow}, {baseline}"]
            ratios.append(ratio)
            print(f"ratio {flow} {kind}/{baseline}: {ratio:.2f}")
    farthest = max(max(r, 1 / r) for r in ratios)
    return verdict(
        "signup_timing",
        "farthest ratio from 1 (as ≥ 1)",
        farthest,
        GOAL,
        at_most=True,
        conditions=f"{'PostgreSQL' if postgres else 'SQLite'}, {ROUNDS} rounds",
        figures=", ".join(f"{r:.2f}" for r in ratios),
    )
