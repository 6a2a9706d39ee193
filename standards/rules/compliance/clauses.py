"""Catch-all (兜底) and add-on clauses in the fields the editorial office reads for them.

Compliance review rule 5; detection itself is in `catchall.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..catchall import CatchAll, find_catch_alls
from ..engine import Issue, issue, rule
from ..findings import Text
from ..messages import field_ref, fmt
from ..view import Row, View, describe

SINGLE_FIELDS = ("E01.01", "P03.07")
NAMED_ROWS = {"other_process", "link_benchmark"}
ROW_FIELDS = {
    "condition": ("E04.02",),
    "material": ("E05.01",),
    "other_process": ("PX.05", "PX.08"),
    "link_benchmark": ("PL.13",),
}


def _message(code: str, text: str, found: CatchAll, row: Text | None) -> Text:
    context = found.context(text)
    values = {"field": field_ref(code), "phrase": found.phrase, "context": context, "row": row}
    # Quote the surrounding words only when they say more than the phrase itself.
    if context == found.phrase:
        if row is None:
            return fmt(
                _(
                    "%(field)s contains the catch-all clause “%(phrase)s”. List every case "
                    "concretely: catch-all and add-on clauses are rejected at compliance review."
                ),
                **values,
            )
        return fmt(
            _(
                "%(field)s of “%(row)s” contains the catch-all clause “%(phrase)s”. List every "
                "case concretely: catch-all and add-on clauses are rejected at compliance review."
            ),
            **values,
        )
    if row is None:
        return fmt(
            _(
                "%(field)s contains the catch-all clause “%(phrase)s” (in “%(context)s”). List "
                "every case concretely: catch-all and add-on clauses are rejected at compliance "
                "review."
            ),
            **values,
        )
    return fmt(
        _(
            "%(field)s of “%(row)s” contains the catch-all clause “%(phrase)s” (in "
            "“%(context)s”). List every case concretely: catch-all and add-on clauses are "
            "rejected at compliance review."
        ),
        **values,
    )


def _issues(code: str, text: str, row: Row | None, group: str | None) -> Iterator[Issue]:
    # A condition or material is recognised by the very text quoted; a process or link
    # by its name.
    named = describe(group, row) if row is not None and group in NAMED_ROWS else None
    for found in find_catch_alls(text):
        yield issue(_message(code, text, found, named), code, row=row)


@rule(
    "C01",
    _("No catch-all or add-on clauses"),
    codes=[*SINGLE_FIELDS, *(code for fields in ROW_FIELDS.values() for code in fields)],
    reference="compliance review rule 5",
)
def no_catch_all_clauses(view: View) -> Iterator[Issue]:
    for code in SINGLE_FIELDS:
        yield from _issues(code, view.value(code) or "", None, None)
    for group, fields in ROW_FIELDS.items():
        for row in view.rows(group):
            for code in fields:
                yield from _issues(code, row.get(code) or "", row, group)
