"""``server.py create-admin`` and ``server.py import-step-codes``, run as the operator would: a
subprocess against the test's database."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from db.models import Membership, Organization, StepPartnerCode, User
from domain.enums import OrganizationType, Role, StepCodeStatus, UserStatus
from runtime import Services
from tests.accounts.journeys import PARTNER_REQUESTS, activate, delivered, outbox_mails
from tests.factories import create_actor, create_step_code
from tests.members.support import INVITE
from tests.support.gql import codes, mutate, payload_for
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink
from tests.support.tokens import mint_access_token

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    code: int
    out: str
    err: str


async def _server_py(services: Services, *args: str) -> Run:
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": services.settings.database_url,
        "PORTAL_PUBLIC_URL": services.settings.public_url,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "server.py",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return Run(process.returncode, out.decode(), err.decode())


async def test_create_admin_creates_a_pending_internal_admin(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    # Unique per run: the SMTP server is shared by the whole session.
    tag = uuid.uuid4().hex[:8]
    run = await _server_py(services, "create-admin", f" Ops-{tag}@Example.com ")
    assert run.code == 0, run.err
    assert "created, pending activation" in run.out
    email = f"ops-{tag}@example.com"
    # Queued by the command, delivered by the running server's outbox worker.
    (mail,) = await delivered(smtp, email)
    assert "activate" in mail.subject.lower()

    # Again while pending: a new activation email replaces the first; nothing else changes.
    run = await _server_py(services, "create-admin", email)
    assert run.code == 0 and "new activation email" in run.out
    first, second = await delivered(smtp, email, 2)
    assert codes(await activate(live, first.activation_token, first.activation_code)) == [
        "INVALID_OR_EXPIRED_CODE"
    ]
    result = await activate(live, second.activation_token, second.activation_code)
    assert result["activated"] is True, result

    async with services.db.read_session() as session:
        user = (await session.scalars(select(User).where(User.email == email))).one()
        assert user.status is UserStatus.ACTIVE
        membership = (
            await session.scalars(select(Membership).where(Membership.user_id == user.id))
        ).one()
        assert membership.role is Role.INTERNAL_ADMIN
        internal = (
            await session.scalars(
                select(Organization).where(Organization.type == OrganizationType.INTERNAL)
            )
        ).all()
        assert [o.id for o in internal] == [membership.organization_id]

    # Once active: nothing to do.
    run = await _server_py(services, "create-admin", email)
    assert run.code == 0 and "already active" in run.out
    assert len(await outbox_mails(live, email)) == 2

    # A second admin joins the same INTERNAL organization, and the token works for reviews.
    run = await _server_py(services, "create-admin", f"second-ops-{tag}@example.com")
    assert run.code == 0
    async with services.db.read_session() as session:
        internal_count = await session.scalar(
            select(func.count())
            .select_from(Organization)
            .where(Organization.type == OrganizationType.INTERNAL)
        )
    assert internal_count == 1
    token = await mint_access_token(services, user.id)
    listing = await payload_for(live, token, PARTNER_REQUESTS, {})
    assert listing["edges"] == []


async def test_create_admin_refuses_bad_and_customer_addresses(services: Services) -> None:
    run = await _server_py(services, "create-admin", "not-an-email")
    assert run.code == 2 and "not a valid email address" in run.err
    customer = await create_actor(services)
    run = await _server_py(services, "create-admin", customer.user.email)
    assert run.code == 1 and "already has a customer or partner account" in run.err


async def test_import_step_codes_reports_what_it_did(services: Services, tmp_path: Path) -> None:
    existing = await create_step_code(services, "KNOWN-001")
    revoked = await create_step_code(services, "REVOKED-1", revoked=True)
    path = tmp_path / "codes.csv"
    path.write_text(
        "\ufeffCode,Company,Region\n"
        "step-0001,Acme Installers,EU\n"
        "STEP-0002,,US\n"
        " step-0001 ,Duplicate in file,EU\n"
        f"{existing.lower()},Already known,EU\n"
        f"{revoked},Revoked stays revoked,EU\n"
        "bad code!,Spaces and punctuation,EU\n"
        ",No code,EU\n"
        "\n"
        "STEP-0003,Bell\x07Company,EU\n"
        "STEP-0004\n",
        encoding="utf-8",
    )
    run = await _server_py(services, "import-step-codes", str(path))
    assert run.code == 0, run.err
    assert run.out.strip() == "added 3, skipped 3 (already known or repeated), invalid 3"
    assert "lines: 7, 8, 10" in run.err
    async with services.db.read_session() as session:
        rows = {r.code: r for r in await session.scalars(select(StepPartnerCode))}
    assert set(rows) == {"STEP-0001", "STEP-0002", "STEP-0004", "KNOWN-001", "REVOKED-1"}
    assert rows["STEP-0001"].company == "Acme Installers"
    assert rows["STEP-0002"].company is None
    assert rows["REVOKED-1"].status is StepCodeStatus.REVOKED

    # Running the same file again adds nothing.
    run = await _server_py(services, "import-step-codes", str(path))
    assert run.out.strip() == "added 0, skipped 6 (already known or repeated), invalid 3"


async def test_import_step_codes_refuses_unusable_files(services: Services, tmp_path: Path) -> None:
    no_column = tmp_path / "no-column.csv"
    no_column.write_text("company\nAcme\n", encoding="utf-8")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"code\n\xff\xfe\x00\x01\n")
    for path, message in (
        (no_column, "no `code` column"),
        (binary, "not UTF-8"),
        (tmp_path / "missing.csv", "No such file"),
    ):
        run = await _server_py(services, "import-step-codes", str(path))
        assert run.code == 2 and message in run.err, run


async def test_create_admin_claims_an_account_that_only_invitations_made(
    live: LiveServer, services: Services
) -> None:
    """Somebody's invitation of the address does not keep the operator from making it an
    internal admin (nor decide anything about it): the invitation stays an offer."""
    inviter = await create_actor(services)
    email = f"invited-ops-{uuid.uuid4().hex[:8]}@example.com"
    invited = await mutate(live, inviter, INVITE, email=email, role="ADMIN", firstName="Mallory")
    assert invited["userErrors"] == []
    run = await _server_py(services, "create-admin", email)
    assert run.code == 0, run
    async with services.db.read_session() as session:
        user = await session.scalar(select(User).where(User.email == email))
        assert user is not None and user.first_name != "Mallory"
        roles = list(
            await session.scalars(select(Membership.role).where(Membership.user_id == user.id))
        )
    assert roles == [Role.INTERNAL_ADMIN]
