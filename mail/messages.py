"""Render emails from Jinja2 templates: ``templates/<name>.subject.txt``, ``<name>.txt`` (the text
part) and ``<name>.html`` (the HTML part, autoescaped). ``mail/catalog.py`` lists the templates and
the variables each expects; ``StrictUndefined`` turns a missing one into an error, never a blank."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"

ROLE_LABELS = {
    "SUPER_ADMIN": "Super Admin",
    "ADMIN": "Admin",
    "USER": "User",
    # What customers see a partner's technician as (PRODUCT.md §2).
    "TECHNICIAN": "Installer",
    "INTERNAL_ADMIN": "Internal Admin",
}


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    template: str
    subject: str
    text: str
    html: str


def human_duration(seconds: int) -> str:
    """``86400`` → ``"24 hours"``, ``604800`` → ``"7 days"``, ``900`` → ``"15 minutes"``."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        # Whole days only from 2 days up: "24 hours" reads better than "1 day" for a code.
        if seconds >= size and seconds % size == 0 and (unit != "day" or seconds >= 2 * size):
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def _role_label(role: object) -> str:
    value = role.value if isinstance(role, Enum) else str(role)
    return ROLE_LABELS.get(str(value), str(value))


def _format_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to an email template")
    return value.astimezone(UTC).strftime("%d %B %Y, %H:%M UTC").lstrip("0")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["role_label"] = _role_label
    env.filters["datetime"] = _format_datetime
    return env


def _tidy_text(text: str) -> str:
    # Template blocks leave stray blank lines; a text part reads best with single blank lines.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy) + "\n"


def render(template: str, context: dict[str, Any]) -> RenderedEmail:
    env = _environment()
    subject = env.get_template(f"{template}.subject.txt").render(context).strip()
    # A subject is one line, whatever the context held (no header injection).
    subject = " ".join(subject.split())
    return RenderedEmail(
        template=template,
        subject=subject,
        text=_tidy_text(env.get_template(f"{template}.txt").render(context)),
        html=env.get_template(f"{template}.html").render(context),
    )
