"""Render emails from Jinja2 templates: ``templates/<name>.subject.txt``, ``<name>.txt`` (the text
part) and ``<name>.html`` (the HTML part, autoescaped)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    template: str
    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, context: dict[str, Any]) -> RenderedEmail:
    env = _environment()
    subject = env.get_template(f"{template}.subject.txt").render(context).strip()
    # A subject is one line, whatever the context held (no header injection).
    subject = " ".join(subject.split())
    return RenderedEmail(
        template=template,
        subject=subject,
        text=env.get_template(f"{template}.txt").render(context),
        html=env.get_template(f"{template}.html").render(context),
    )
