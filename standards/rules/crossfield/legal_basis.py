"""Legal bases (E02): a setting basis, supervisory bases, dates and licensing levels.

README cross-field rule 34.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..engine import Issue, issue, rule
from ..messages import code_label, fmt
from ..view import View, describe

SETTING = "1"  # basis_kind 设定依据
SUPERVISORY = "3"  # basis_kind 监管依据
LICENSING = "01"  # item_type 行政许可
# Licensing Law arts. 14–17: law, administrative regulation, local regulation, provincial
# government rule (temporary) and State Council decision may set a licence.
LICENCE_SETTING_LEVELS = {"1", "2", "3", "5", "7"}


@rule(
    "R34a",
    _("At least one legal basis is the setting basis"),
    codes=["E02.01"],
    reference="README cross-field rule 34",
)
def has_setting_basis(view: View) -> Iterator[Issue]:
    rows = view.rows("legal_basis")
    if not any(row.get("E02.01") == SETTING for row in rows):
        yield issue(
            _(
                "No legal basis is marked as the setting basis (设定依据). Mark the article that "
                "creates this item."
            ),
            "E02.01",
        )


@rule(
    "R34b",
    _("The supervisory basis cites supervisory bases only"),
    codes=["P08.05", "E02.01"],
    reference="README cross-field rule 34",
)
def supervisory_basis_kind(view: View) -> Iterator[Issue]:
    for row in view.ref_values("P08.05"):
        kind = row.get("E02.01")
        if kind and kind != SUPERVISORY:
            yield issue(
                fmt(
                    _(
                        "The supervisory basis cites %(basis)s, which is marked as a “%(kind)s”, "
                        "not a 监管依据. Cite a supervisory basis or correct its kind."
                    ),
                    basis=describe("legal_basis", row),
                    kind=code_label("basis_kind", kind),
                ),
                "P08.05",
                "E02.01",
            )


@rule(
    "R34c",
    _("A basis takes effect no earlier than its revision"),
    codes=["E02.06", "E02.07"],
    reference="README cross-field rule 34",
)
def effective_after_revision(view: View) -> Iterator[Issue]:
    for row in view.rows("legal_basis"):
        revised, effective = row.get("E02.06"), row.get("E02.07")
        # ISO dates compare correctly as text.
        if revised and effective and effective < revised:
            yield issue(
                fmt(
                    _(
                        "%(basis)s takes effect on %(effective)s, before its revision date "
                        "%(revised)s. Check both dates."
                    ),
                    basis=describe("legal_basis", row),
                    effective=effective,
                    revised=revised,
                ),
                "E02.07",
                "E02.06",
                row=row,
            )


@rule(
    "R34d",
    _("A licence's setting basis is at a level that may set a licence"),
    codes=["B00.04", "E02.01", "E02.03"],
    reference="README cross-field rule 34; compliance rule 2",
)
def licence_setting_level(view: View) -> Iterator[Issue]:
    if view.item_type != LICENSING:
        return
    for row in view.rows("legal_basis"):
        level = row.get("E02.03")
        if row.get("E02.01") == SETTING and level and level not in LICENCE_SETTING_LEVELS:
            yield issue(
                fmt(
                    _(
                        "%(basis)s is a %(level)s and cannot set an administrative licence "
                        "(Licensing Law arts. 14–17). Cite the law, administrative regulation, "
                        "State Council decision, local regulation or provincial government rule "
                        "that sets it, and mark this one as an implementing basis."
                    ),
                    basis=describe("legal_basis", row),
                    level=code_label("law_level", level),
                ),
                "E02.03",
                "E02.01",
                row=row,
            )
