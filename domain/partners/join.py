""" "Join as a STEP Partner": the request an internal admin will review.

The STEP code is checked at once: an unknown code, a revoked one and one that already belongs to a
partner organization all get the same ``INVALID_STEP_CODE`` — the partner can do nothing
different about the three, and one answer tells a code-guesser the least (the audit log keeps the
reason). Wrong codes are counted per client address and, past ``rate_limit_step_code``, that
address is refused (``RATE_LIMITED``) before any code is looked at.

As to the email there is no enumeration: with a valid code, a known address gets ``accepted``
like a new one, and its owner gets the truth by mail.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import PartnerRequest
from domain.accounts import limits
from domain.accounts import repository as accounts
from domain.accounts.forms import InformationForm, Signup, validate_information_form
from domain.accounts.known_address import rehearse_telling, tell_owner
from domain.accounts.mailing import send_mail
from domain.accounts.registration import consent_versions
from domain.accounts.rehearsal import stand_in_email
from domain.admin.notifications import mail_admins_about_request
from domain.audit.service import record
from domain.context import RequestMeta
from domain.dependencies import SignupDeps
from domain.enums import PartnerRequestStatus
from domain.errors import UserError, Validator
from domain.organizations.service import record_consents
from domain.partners import repository
from domain.partners.errors import INVALID_STEP_CODE
from domain.partners.step_codes import CodeStatus, code_status, normalize_step_code
from mail.catalog import PartnerRequestReceivedMail
from settings import Settings

_FIELD = "stepPartnerCode"
_INVALID_MESSAGE = (
    "This STEP partner code is not valid or is already in use. Check the code you received "
    "from the STEP partner programme."
)


@dataclass(frozen=True, slots=True)
class PartnerJoinForm:
    step_partner_code: str | None
    form: InformationForm  # organization_name holds the company name


async def join_as_step_partner(deps: SignupDeps, meta: RequestMeta, join: PartnerJoinForm) -> None:
    settings = deps.settings
    limiter = deps.limiter
    v = Validator(("input",))
    code: str | None = None
    budget = None
    if join.step_partner_code is None or not join.step_partner_code.strip():
        v.add(_FIELD, "REQUIRED", "STEP partner code is required.")
    else:
        budget = await limits.failure_budget(
            limiter, settings.rate_limit_step_code, "step-code", meta
        )
        code = normalize_step_code(join.step_partner_code)
        if code is None:
            v.add(_FIELD, INVALID_STEP_CODE, _INVALID_MESSAGE)
    signup = validate_information_form(
        v, join.form, organization_field="companyName", allow_test_domains=not settings.production
    )
    # The code is checked even when other fields are wrong: the form reports everything at once.
    if budget is not None:
        async with budget:  # given back unless the code was looked up and refused
            if code is not None and not await _code_is_usable(deps, code, meta):
                budget.keep()
                v.add(_FIELD, INVALID_STEP_CODE, _INVALID_MESSAGE)
    v.raise_if_any()
    assert signup is not None and code is not None
    await limits.per_address(
        limiter, settings.rate_limit_registration_per_address, "registration", meta
    )
    await limits.per_account(
        limiter, settings.rate_limit_registration, "registration", signup.person.email
    )
    await deps.secrets.account_code_key()  # before the transaction (domain.secrets)
    async with deps.db.unit_of_work() as session:
        status, row = await code_status(session, code)
        if status is not CodeStatus.USABLE or row is None:
            # Used or revoked since the check above, a moment ago.
            raise UserError(INVALID_STEP_CODE, _INVALID_MESSAGE, ("input", _FIELD))
        user = await accounts.user_by_email(session, signup.person.email)
        # An account only invitations made is nobody's yet: the request goes ahead as for a new
        # email (domain.accounts.registration), and approval claims the account. Asked on every
        # path, so that none is a statement shorter.
        unclaimed = await accounts.lock_unclaimed_account(
            session, user.id if user is not None else uuid.uuid4()
        )
        if unclaimed is not None:
            user = None
        waiting = await repository.pending_request_exists(
            session, email=signup.person.email, code_id=row.id
        )
        if user is not None:
            # A new request's rows (its mail and audit are tell_owner's), for tell_owner's
            # stand-in, rolled back (domain.accounts.rehearsal).
            stand_in = replace(signup, person=replace(signup.person, email=stand_in_email()))
            await tell_owner(
                session,
                deps,
                user,
                meta,
                action="partner_join",
                rehearse_also=lambda _: _add_request(session, deps, stand_in, code, row.id, meta),
            )
            return
        if waiting:
            return  # the same request again: it is already waiting, and its mail went out
        mailed = await _create_request(session, deps, signup, code, row.id, meta)
        # Costs what a known address's path does (same statements, test_enumeration), and
        # what a held-back mail would have cost.
        await rehearse_telling(
            session,
            deps,
            uuid.uuid4(),
            with_stand_in=True,
            rehearse_also=None
            if mailed
            else lambda: _mail_request(
                session, deps.settings, signup, code, to=stand_in_email(), guarded=False
            ),
        )


async def _code_is_usable(deps: SignupDeps, code: str, meta: RequestMeta) -> bool:
    """Look the code up; audit a refusal (committed, whatever the answer becomes)."""
    async with deps.db.unit_of_work() as session:
        status, row = await code_status(session, code)
        if status is CodeStatus.USABLE:
            return True
        await record(
            session,
            "step_code.refused",
            meta=meta,
            target_type="step_partner_code",
            target_id=row.id if row else None,
            details={"reason": status.value, "code": code},
        )
    return False


async def _create_request(
    session: AsyncSession,
    deps: SignupDeps,
    signup: Signup,
    code: str,
    code_id: uuid.UUID,
    meta: RequestMeta,
) -> bool:
    """The request, its mail (unless the guard holds it back: then False) and its audit row."""
    settings = deps.settings
    person = signup.person
    request = await _add_request(session, deps, signup, code, code_id, meta)
    mailed = await _mail_request(session, settings, signup, code, to=person.email)
    await record(
        session,
        "partner_request.created",
        meta=meta,
        actor_email=person.email,
        target_type="partner_request",
        target_id=request.id,
        details={"step_partner_code": code, "mailed": mailed},
    )
    return mailed


async def _mail_request(
    session: AsyncSession,
    settings: Settings,
    signup: Signup,
    code: str,
    *,
    to: str,
    guarded: bool = True,
) -> bool:
    return await send_mail(
        session,
        settings,
        mail=PartnerRequestReceivedMail(
            first_name=signup.person.first_name,
            company_name=signup.organization.name,
            step_partner_code=code,
        ),
        to=to,
        guarded=guarded,
    )


async def _add_request(
    session: AsyncSession,
    deps: SignupDeps,
    signup: Signup,
    code: str,
    code_id: uuid.UUID,
    meta: RequestMeta,
) -> PartnerRequest:
    """The request row, its consents and the internal admins' mail."""
    person, company = signup.person, signup.organization
    request = PartnerRequest(
        step_code_id=code_id,
        step_partner_code=code,
        company_name=company.name,
        country=company.country,
        address=company.address,
        phone=company.phone,
        first_name=person.first_name,
        last_name=person.last_name,
        contact_email=person.email,
        status=PartnerRequestStatus.PENDING,
        client_address=meta.client_address,
        user_agent=meta.user_agent,
    )
    session.add(request)
    await session.flush()
    await record_consents(
        session,
        email=person.email,
        versions=consent_versions(deps.settings),
        meta=meta,
        partner_request_id=request.id,
    )
    # The internal admins hear of it in the same transaction (one mail each, unless they opted
    # out). Here rather than in _create_request: a known address's path rehearses this function,
    # so both paths cost the same statements (test_enumeration).
    await mail_admins_about_request(session, request, public_url=deps.settings.public_url)
    return request
