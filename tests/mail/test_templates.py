"""Every email template renders both parts from its documented context, escapes what people
typed in the HTML part, and keeps the contract's activation lines."""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

import pytest
from jinja2 import UndefinedError

from domain.enums import Role
from mail.catalog import MAILS, TEMPLATES, PartnerRequestRejectedMail, sample, sample_context
from mail.messages import TEMPLATES as TEMPLATE_DIR
from mail.messages import human_duration, render

PUBLIC_URL = "https://portal.example.com"
HOSTILE = "<img src=x onerror=\"alert(1)\"> Tom & 'Jerry'"


def _render(template: str, **overrides: Any) -> Any:
    return render(template, {"public_url": PUBLIC_URL, **sample_context(template), **overrides})


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_every_template_renders_a_text_and_an_html_part(template: str) -> None:
    email = _render(template)
    assert email.subject and "\n" not in email.subject
    assert email.text.startswith("Hello")
    # The text part is text: no tags, not the HTML with the markup stripped.
    assert not re.search(r"</?(p|a|strong|table|td|br)\b", email.text)
    assert email.html.lstrip().startswith("<!doctype html>")
    assert "</html>" in email.html
    # The HTML part extends the branded layout.
    assert "Cloud Portal" in email.html and f'href="{PUBLIC_URL}"' in email.html
    # Every link the context carries appears in both parts.
    for name, value in sample_context(template).items():
        if name.endswith("_url"):
            assert value in email.text
            assert f'href="{value}"' in email.html


@pytest.mark.parametrize("template", sorted(TEMPLATES))
def test_user_provided_values_are_escaped_in_html_and_plain_in_text(template: str) -> None:
    typed = [name for name, v in TEMPLATES[template].items() if v.user_provided]
    assert typed, "every email names someone or something a person typed"
    email = _render(template, **{name: f"{HOSTILE} {name}" for name in typed})
    assert "<img" not in email.html and 'onerror="' not in email.html
    for name in typed:
        assert f"&lt;img src=x onerror=&#34;alert(1)&#34;&gt; Tom &amp; &#39;Jerry&#39; {name}" in (
            email.html
        )
        assert f"{HOSTILE} {name}" in email.text


@pytest.mark.parametrize("template", ["activation", "partner_request_approved", "invitation"])
def test_activation_emails_keep_the_contract_lines(template: str) -> None:
    url = f"{PUBLIC_URL}/activate?token=abc-DEF_123"
    email = _render(template, activation_url=url, code="7KQ4MZ2P")
    lines = email.text.splitlines()
    assert f"Activate Account: {url}" in lines
    assert "Activation code: 7KQ4MZ2P" in lines
    assert f'href="{url}"' in email.html and "7KQ4MZ2P" in email.html


def test_optional_values_may_be_none() -> None:
    email = _render("activation", organization_name=None)
    assert "Your Cloud Portal account is ready to be activated." in email.text
    invitation = _render("invitation", first_name=None)
    assert invitation.text.startswith("Hello,\n")


def test_roles_and_times_are_shown_as_people_read_them() -> None:
    assert "as Installer." in _render("invitation_offer", role=Role.TECHNICIAN).text
    assert "as Super Admin." in _render("invitation", role="SUPER_ADMIN").text
    assert "27 November 2026, 14:05 UTC" in _render("password_changed").text


def test_a_subject_stays_on_one_line_whatever_it_is_given() -> None:
    email = _render("invitation", organization_name="Evil\r\nBcc: victim@example.test")
    assert "\n" not in email.subject and "\r" not in email.subject


def test_a_missing_variable_is_an_error_not_a_blank() -> None:
    context = {"public_url": PUBLIC_URL, **sample_context("password_reset")}
    del context["reset_url"]
    with pytest.raises(UndefinedError):
        render("password_reset", context)


def test_a_mail_is_its_template_s_variables_no_more_no_less() -> None:
    # mypy refuses these calls; at run time the dataclass does, before anything is rendered.
    good = sample_context("partner_request_rejected")
    assert sample("partner_request_rejected").context() == good
    with pytest.raises(TypeError, match="reason"):
        PartnerRequestRejectedMail(**{k: v for k, v in good.items() if k != "reason"})
    with pytest.raises(TypeError, match="reson"):
        PartnerRequestRejectedMail(**{**good, "reson": "typo"})
    for name, mail in MAILS.items():
        assert mail.template == name
        assert [f.name for f in fields(mail)] == list(TEMPLATES[name])


def test_every_template_file_belongs_to_the_catalog() -> None:
    files = {p.name for p in TEMPLATE_DIR.iterdir() if not p.name.startswith(("_", "README"))}
    expected = {
        f"{name}{suffix}" for name in TEMPLATES for suffix in (".subject.txt", ".txt", ".html")
    }
    assert files == expected


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (86400, "24 hours"),
        (3600, "1 hour"),
        (7 * 86400, "7 days"),
        (900, "15 minutes"),
        (90, "2 minutes"),
    ],
)
def test_human_duration(seconds: int, text: str) -> None:
    assert human_duration(seconds) == text
