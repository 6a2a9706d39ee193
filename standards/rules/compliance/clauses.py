"""Catch-all (兜底) and add-on clauses in the fields the editorial office reads for them.

Compliance review rule 5; detection itself is in `catchall.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..catchall import find_catch_alls
from ..engine import Issue, issue, rule
from ..messages import field_ref, fmt
from ..view import Row, View, describe

SINGLE_FIELDS = ("E01.01", "P03.07")
ROW_FIELDS = {
    "condition": ("E04.02",),
    "material": ("E05.01",),
    "other_process": ("PX.05", "PX.08"),
    "link_benchmark": ("PL.13",),
}


def _issues(code: str, text: str, row: Row | None, group: str | None) -> Iterator[Issue]:
    for found in find_catch_alls(text):
        values = {"field": field_ref(code), "phrase": found.phrase, "context": found.context(text)}
        if row is None or group is None:
            message = fmt(
                _(
                    "%(field)s contains the catch-all clause “%(phrase)s” (%(context)s). List "
                    "every case concretely: catch-all and add-on clauses are rejected at "
                    "compliance review."
                ),
                **values,
            )
        else:
            message = fmt(
                _(
                    "%(field)s of “%(row)s” contains the catch-all clause “%(phrase)s” "
                    "(%(context)s). List every case concretely: catch-all and add-on clauses "
                    "are rejected at compliance review."
                ),
                row=describe(group, row),
                **values,
            )
        yield issue(message, code, row=row)


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
