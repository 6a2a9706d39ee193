"""Catalogue legality and the lawful setting of a licence; the guide's FAQ.

Compliance review rules 1, 2 and 11.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..crossfield.legal_basis import LICENSING, SETTING
from ..engine import Issue, issue, rule
from ..findings import Severity
from ..messages import code_label, fmt
from ..view import View, describe

# Who issues each legal level (law_level), to catch a departmental rule or normative
# document entered under a level that may set a licence.
ISSUERS = {
    "1": re.compile(r"全国人民代表大会"),
    "2": re.compile(r"国务院"),
    "7": re.compile(r"国务院"),
    "3": re.compile(r"人民代表大会"),
    "5": re.compile(r"人民政府|政府"),
}
# Only a provincial government's rule may set a (temporary) licence (Licensing Law art. 15).
PROVINCIAL_GOVERNMENT = re.compile(r"省(?:人民)?政府")
LOCAL_GOVERNMENT_RULE = "5"


@rule(
    "C02",
    _("The setting basis of a licence is issued at a level that can set it"),
    codes=["B00.04", "E02.01", "E02.03", "E02.05"],
    reference="compliance review rule 2",
)
def setting_basis_issuer(view: View) -> Iterator[Issue]:
    if view.item_type != LICENSING:
        return
    for row in view.rows("legal_basis"):
        level, issuer = row.get("E02.03"), row.get("E02.05")
        if row.get("E02.01") != SETTING or level not in ISSUERS or not issuer:
            continue
        basis = describe("legal_basis", row)
        if not ISSUERS[level].search(issuer):
            yield issue(
                fmt(
                    _(
                        "%(basis)s is marked as a %(level)s, but its issuing authority is "
                        "%(issuer)s. Check its legal level: a departmental rule or normative "
                        "document cannot set a licence."
                    ),
                    basis=basis,
                    level=code_label("law_level", level),
                    issuer=issuer,
                ),
                "E02.03",
                "E02.05",
                row=row,
                severity=Severity.ADVISORY,
            )
        elif level == LOCAL_GOVERNMENT_RULE and not PROVINCIAL_GOVERNMENT.search(issuer):
            yield issue(
                fmt(
                    _(
                        "%(basis)s is a local government rule issued by %(issuer)s; only a "
                        "provincial government's rule may set a (temporary) licence (Licensing "
                        "Law art. 15)."
                    ),
                    basis=basis,
                    issuer=issuer,
                ),
                "E02.03",
                "E02.05",
                row=row,
            )


@rule(
    "C03",
    _("The item type matches the catalogue"),
    codes=["B00.04"],
    reference="compliance review rule 1",
)
def item_type_matches_catalogue(view: View) -> Iterator[Issue]:
    entered, catalogue = view.value("B00.04"), view.catalogue_item_type
    if entered and catalogue and str(entered) != str(catalogue):
        yield issue(
            fmt(
                _(
                    "The item type is “%(entered)s”, but the catalogue lists this item as "
                    "“%(catalogue)s”. The type must match the approval-item catalogue."
                ),
                entered=code_label("item_type", entered),
                catalogue=code_label("item_type", catalogue),
            ),
            "B00.04",
        )


@rule(
    "C12",
    _("A licensing item's guide answers at least one frequent question"),
    codes=["B00.04", "E12.20"],
    reference="compliance review rule 11",
)
def licensing_item_has_faq(view: View) -> Iterator[Issue]:
    if view.item_type == LICENSING and not any(row.get("E12.20") for row in view.rows("faq")):
        yield issue(
            _(
                "The guide of a licensing item needs at least one frequently asked question "
                "with its answer."
            ),
            "E12.20",
        )
