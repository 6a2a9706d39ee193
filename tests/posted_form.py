"""What a browser would post from a page's form: every named input with its value.

A small reading of the HTML, enough for the editor's widgets: text-like inputs
and hidden ones post their value; checkboxes and radios only when checked; a
select its selected options (else its first); a textarea its text. File inputs
are left out (a file is posted only when one is chosen).
"""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.posted: dict[str, list[str]] = defaultdict(list)
        self._select: tuple[str, list[str], list[str]] | None = None  # name, chosen, all
        self._option: str | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        name = found.get("name")
        if tag == "input" and name:
            kind = found.get("type", "text").lower()
            if kind == "file" or kind in ("submit", "button", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in found:
                return
            self.posted[name].append(found.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            value = found.get("value")
            self._option = value
            if value is not None:
                self._select[2].append(value)
                if "selected" in found:
                    self._select[1].append(value)
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            name, chosen, every = self._select
            self.posted[name].extend(chosen or every[:1])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # The HTML parser drops one newline right after <textarea>.
            self.posted[name].append(text[1:] if text.startswith("\n") else text)
            self._textarea = None


def posted_form(html: str) -> dict[str, list[str]]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return dict(reader.posted)
