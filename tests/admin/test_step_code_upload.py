"""``importStepPartnerCodes``: the console's upload of an ``import-step-codes`` file — the CLI's
parser and rules, with what became of every line; whole-file refusals as userErrors; internal
admins only."""

from __future__ import annotations

from typing import Any

from domain.enums import Role
from runtime import Services
from tests.admin.support import STEP_CODES
from tests.audit.support import audit_events
from tests.factories import create_actor, create_step_code
from tests.support.gql import USER_ERRORS, call, codes, data, error_code, payload_for
from tests.support.server import LiveServer

IMPORT = f"""
mutation($input: ImportStepPartnerCodesInput!) {{
  importStepPartnerCodes(input: $input) {{
    report {{ added skipped invalid rows {{ line code company outcome reason }} }}
    {USER_ERRORS}
  }}
}}
"""


async def upload(live: LiveServer, who: Any, text: str) -> dict[str, Any]:
    return await payload_for(live, who, IMPORT, {"input": {"csv": text}})


async def test_every_line_is_reported(live: LiveServer, services: Services) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    await create_step_code(services, "KNOWN-001")
    await create_step_code(services, "REVOKED-1", revoked=True)
    text = (
        "\ufeffCode,Company,Region\n"
        "step-0001,Acme Installers,EU\n"
        "STEP-0002,,US\n"
        " step-0001 ,Duplicate in file,EU\n"
        "known-001,Already known,EU\n"
        "REVOKED-1,Revoked stays revoked,EU\n"
        "bad code!,Spaces,EU\n"
        ",No code,EU\n"
        "\n"
        f"STEP-0003,{'x' * 201},EU\n"
    )
    result = await upload(live, admin, text)
    assert result["userErrors"] == []
    report = result["report"]
    assert (report["added"], report["skipped"], report["invalid"]) == (2, 3, 3)
    outcome = {row["line"]: (row["code"], row["outcome"], row["reason"]) for row in report["rows"]}
    assert outcome[2] == ("STEP-0001", "ADDED", None)
    assert outcome[3] == ("STEP-0002", "ADDED", None)
    assert outcome[4] == ("STEP-0001", "SKIPPED", "Repeated: the same code is on line 2.")
    assert outcome[5] == ("KNOWN-001", "SKIPPED", "Already in the registry.")
    assert outcome[6] == ("REVOKED-1", "SKIPPED", "Already in the registry.")
    assert outcome[7][:2] == ("bad code!", "INVALID") and "Not a valid code" in outcome[7][2]
    assert outcome[8] == (None, "INVALID", "No code in this row.")
    assert outcome[10][1] == "INVALID" and "longer than 200" in outcome[10][2]
    assert sorted(outcome) == [2, 3, 4, 5, 6, 7, 8, 10]

    listed = (await data(live, admin, STEP_CODES, {"search": "STEP-000"}))["stepPartnerCodes"]
    assert {e["node"]["code"]: e["node"]["company"] for e in listed["edges"]} == {
        "STEP-0001": "Acme Installers",
        "STEP-0002": None,
    }
    (event,) = await audit_events(services, "step_code.created")
    assert event.actor_user_id == admin.user.id
    assert event.details is not None
    assert event.details["codes"] == ["STEP-0001", "STEP-0002"]
    assert event.details["source"] == "csv"

    # The same file again adds nothing (and records nothing).
    again = (await upload(live, admin, text))["report"]
    assert (again["added"], again["skipped"], again["invalid"]) == (0, 5, 3)
    assert len(await audit_events(services, "step_code.created")) == 1


async def test_files_that_are_no_code_list_are_refused(
    live: LiveServer, services: Services
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    for text, code in (
        ("", "INVALID_CSV"),
        ("company\nAcme\n", "INVALID_CSV"),
        ("code\n", "INVALID_CSV"),
        ('code\n"unterminated\n', "INVALID_CSV"),
        ("code\n" + "STEP-1\n" * 2001, "TOO_MANY_CODES"),
        ("code\n" + "x" * 101 * 1024, "CSV_TOO_LARGE"),
    ):
        result = await upload(live, admin, text)
        assert codes(result) == [code], (text[:40], result)
        assert result["userErrors"][0]["field"] == ["input", "csv"]
        assert result["report"] is None
    assert await audit_events(services, "step_code.created") == []


async def test_only_internal_admins_upload(live: LiveServer, services: Services) -> None:
    for role in (Role.SUPER_ADMIN, Role.ADMIN, Role.USER):
        someone = await create_actor(services, role=role)
        body = await call(live, someone, IMPORT, {"input": {"csv": "code\nSTEP-FORBIDDEN\n"}})
        assert error_code(body) == "FORBIDDEN" and body["data"] is None
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    listed = (await data(live, admin, STEP_CODES, {"search": "FORBIDDEN"}))["stepPartnerCodes"]
    assert listed["edges"] == []
