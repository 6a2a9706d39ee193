"""Cell values both ways: snapshot value -> Excel cell, and the formula-injection guard.

A text that starts with a character a spreadsheet reads as the start of a
formula (=, +, -, @, and tab or carriage return, which some programs strip
before the =) is written with a leading apostrophe, as OWASP advises for
CSV/formula injection, and always as a string cell. The import removes
exactly one leading apostrophe again, so a round trip gives back the text
as it was typed (a text that itself begins with an apostrophe is written with
two for the same reason).
"""

from __future__ import annotations

import datetime
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from standards.registry import Field, FieldType

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
LIST_SEPARATOR = ","  # between codes of a multiple choice
REF_SEPARATOR = "\n"  # between row ids of a reference
TRUE_TEXT = "是"
FALSE_TEXT = "否"


def excel_text(text: str) -> str:
    """`text` as a string cell's value that no spreadsheet evaluates."""
    # Characters XML 1.0 cannot carry (control characters) would make the
    # file unreadable; the editor's forms never store them.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith((*FORMULA_TRIGGERS, ESCAPE)):
        return ESCAPE + text
    return text


def cell_value(field: Field, value: Any) -> Any:
    """The Excel value for a snapshot value of `field` (None for empty)."""
    if value is None or value == [] or value == "":
        return None
    match field.type:
        case FieldType.BOOLEAN:
            return TRUE_TEXT if value else FALSE_TEXT
        case FieldType.INTEGER | FieldType.DURATION:
            return int(value)
        case FieldType.DATE:
            return datetime.date.fromisoformat(str(value))
        case FieldType.MULTICHOICE:
            return excel_text(LIST_SEPARATOR.join(str(v) for v in value))
        case FieldType.REF:
            return excel_text(REF_SEPARATOR.join(str(v) for v in value))
    return excel_text(str(value))
