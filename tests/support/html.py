"""Reading the hosted pages like a browser would: forms, their fields and buttons, links."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    inputs: list[dict[str, str]] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)

    def input_names(self) -> list[str]:
        return [i.get("name", "") for i in self.inputs]

    def button_labels(self) -> list[str]:
        return [b.get("label", "").strip() for b in self.buttons]


@dataclass
class Page:
    forms: list[Form] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href)
    text: str = ""

    def form(self, action_suffix: str | None = None) -> Form:
        for form in self.forms:
            if action_suffix is None or form.action.split("?")[0].endswith(action_suffix):
                return form
        raise AssertionError(
            f"no form posting to {action_suffix!r}: {[f.action for f in self.forms]}"
        )

    def link(self, text: str) -> str:
        for label, href in self.links:
            if label.strip() == text:
                return href
        raise AssertionError(f"no link {text!r}: {self.links}")


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._form: Form | None = None
        self._button: dict[str, str] | None = None
        self._link: list[str] | None = None
        self._href = ""
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.page.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            self._form.inputs.append(a)
            if a.get("name") and a.get("type") not in {"submit", "button"}:
                self._form.fields[a["name"]] = a.get("value", "")
        elif tag == "button" and self._form is not None:
            self._button = {**a, "label": ""}
        elif tag == "a":
            self._link = []
            self._href = a.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "button" and self._button is not None and self._form is not None:
            self._form.buttons.append(self._button)
            self._button = None
        elif tag == "a" and self._link is not None:
            self.page.links.append(("".join(self._link), self._href))
            self._link = None

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        if self._button is not None:
            self._button["label"] += data
        if self._link is not None:
            self._link.append(data)


def parse_page(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.page.text = " ".join(" ".join(parser._text).split())
    return parser.page
