"""Sign-up, resend and password-reset request times for new, known and unknown emails, over
HTTP on SQLite (``--postgres``: the local PostgreSQL).

No enumeration means "the same answer in about the same time" (SECURITY.md): this prints the
median latency of each pair of paths, interleaved, and their ratio (1.0 is indistinguishable).
Baselines: sign-up with a known email; resend and reset for an unknown email. "reset, held" asks
for one active address every round: past its daily budget (5) the mail guard holds it back.
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
from identity.keys import ensure_signing_key
from runtime import Services
from settings import Settings
from tests.factories import create_user
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


async def _run(url: str, directory: Path) -> dict[str, list[float]]:
    await migrate.upgrade(url)
    settings = Settings(
        database_url=url,
        public_url=test_public_url(),
        mail_dir=str(directory / "mail"),
        rate_limit_registration_per_address="10000/hour",
        rate_limit_resend_per_address="10000/hour",
        rate_limit_password_reset_per_address="10000/hour",  # noqa: S106 (a rate)
        rate_limit_password_reset="10000/hour",  # noqa: S106 ("reset, held" asks one address)
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
            for i in range(ROUNDS + 1)  # the last one is "reset, held"'s alone
        ]
    times: dict[str, list[float]] = {
        "sign-up, new": [],
        "sign-up, known": [],
        "resend, pending": [],
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
                    ("resend, pending", RESEND, {"email": pending[-1] if pending else new}),
                    ("resend, unknown", RESEND, {"email": f"nobody-{i}@example.com"}),
                    ("reset, active", RESET, {"email": known[(i + 1) % ROUNDS]}),
                    ("reset, pending", RESET, {"email": pending[-2] if len(pending) > 1 else new}),
                    ("reset, unknown", RESET, {"email": f"nobody-{i}@example.com"}),
                    ("reset, held", RESET, {"email": known[ROUNDS]}),
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
        print(f"{label:17} median {median * 1000:7.2f} ms over {len(times[label])}")
    print(f"ratio sign-up new/known: {medians['sign-up, new'] / medians['sign-up, known']:.2f}")
    print(
        "ratio resend pending/unknown: "
        f"{medians['resend, pending'] / medians['resend, unknown']:.2f}"
    )
    ratios = [
        medians["sign-up, new"] / medians["sign-up, known"],
        medians["resend, pending"] / medians["resend, unknown"],
    ]
    for kind in ("active", "pending", "held"):
        ratio = medians[f"reset, {kind}"] / medians["reset, unknown"]
        ratios.append(ratio)
        print(f"ratio reset {kind}/unknown: {ratio:.2f}")
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
