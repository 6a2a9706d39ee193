"""Marking the matched terms in text that is shown: escape first, then mark.

Every piece of the text goes through `escape`; only the `<mark>` tags this
module writes are markup, so data such as "<script>" is shown, never run.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import fold_with_positions

SNIPPET_RADIUS = 30


def spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Merged (start, end) ranges of `text` where a folded term occurs."""
    folded, positions = fold_with_positions(text)
    found: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            found.append((positions[start], positions[end - 1] + 1))
            start = folded.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: list[str]) -> SafeString:
    pieces: list[str] = []
    done = 0
    for start, end in spans(text, terms):
        pieces.append(escape(text[done:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        done = end
    pieces.append(escape(text[done:]))
    return mark_safe("".join(pieces))  # noqa: S308  (every piece escaped above)


def snippet(text: str, terms: list[str]) -> SafeString | None:
    """The neighbourhood of the first match in a long text, highlighted; None if no match."""
    found = spans(text, terms)
    if not found:
        return None
    start = max(found[0][0] - SNIPPET_RADIUS, 0)
    end = min(found[0][1] + SNIPPET_RADIUS, len(text))
    body = highlight(text[start:end], terms)
    return mark_safe(  # noqa: S308  (body is escaped; the ellipses are ours)
        ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
    )
