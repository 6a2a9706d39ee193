"""Legal-basis citations: article level everywhere, nothing left uncited, fees on a law.

Compliance review rules 3, 4 and 8. A cited legal-basis row whose article
number (E02.08) names no article (第…条) is a whole-law citation.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from standards.registry import REGISTRY, FieldType

from ..engine import Issue, issue, rule
from ..findings import Severity, Text
from ..messages import field_ref, fmt
from ..text import is_article_level
from ..view import Row, View, describe, filled

# Compliance rule 3's "article-level citation everywhere", besides conditions and
# materials (C04, C05), with the field notes that ask for article level too (E01.07, PX.18).
SINGLE_CITATIONS = ("E01.07", "E06.04", "E07.12", "E09.04")
ROW_CITATIONS = {
    "special_procedure": ("E06.15",),
    "fee_item": ("E08.05",),
    "intermediary_service": ("E10.04",),
    "other_process": ("PX.18",),
    "link_benchmark": ("PL.14",),
}
LAW_OR_REGULATION = {"1", "2"}  # law_level 法律, 行政法规


def whole_law_citations(view: View, row: Row, code: str) -> list[Row]:
    return [cited for cited in view.refs(row, code) if not is_article_level(cited.get("E02.08"))]


def _whole_law(
    view: View, row: Row, code: str, subject: Text, group_row: Row | None
) -> Iterator[Issue]:
    for cited in whole_law_citations(view, row, code):
        yield issue(
            fmt(
                _(
                    "%(subject)s cites %(basis)s without an article number, as a whole law. "
                    "Cite the article (第…条) that applies."
                ),
                subject=subject,
                basis=describe("legal_basis", cited),
            ),
            code,
            row=group_row,
        )


def _rows_cite_articles(view: View, group: str, code: str, what: Text) -> Iterator[Issue]:
    for row in view.rows(group):
        subject = fmt(what, name=describe(group, row))
        if not filled(row.get(code)):
            yield issue(
                fmt(
                    _(
                        "%(subject)s cites no legal basis. Without a basis it counts as added by "
                        "the department; cite the article that requires it."
                    ),
                    subject=subject,
                ),
                code,
                row=row,
            )
        yield from _whole_law(view, row, code, subject, row)


@rule(
    "C04",
    _("Each condition cites its basis at article level"),
    codes=["E04.03"],
    reference="compliance review rules 3 and 4",
)
def conditions_cite_articles(view: View) -> Iterator[Issue]:
    yield from _rows_cite_articles(view, "condition", "E04.03", _("The condition “%(name)s”"))


@rule(
    "C05",
    _("Each material cites its basis at article level"),
    codes=["E05.18"],
    reference="compliance review rules 3 and 4",
)
def materials_cite_articles(view: View) -> Iterator[Issue]:
    yield from _rows_cite_articles(view, "material", "E05.18", _("The material “%(name)s”"))


@rule(
    "C06",
    _("Other citations (time limit, fees, limits, denials …) are at article level"),
    codes=[*SINGLE_CITATIONS, *(code for codes in ROW_CITATIONS.values() for code in codes)],
    reference="compliance review rule 3",
)
def other_citations_are_articles(view: View) -> Iterator[Issue]:
    for code in SINGLE_CITATIONS:
        row = {code: view.value(code)}
        yield from _whole_law(view, row, code, field_ref(code), None)
    for group, codes in ROW_CITATIONS.items():
        for row in view.rows(group):
            for code in codes:
                subject = fmt(
                    _("%(field)s of “%(name)s”"), field=field_ref(code), name=describe(group, row)
                )
                yield from _whole_law(view, row, code, subject, row)


LEGAL_BASIS_REFS = tuple(
    f.code for f in REGISTRY if f.type is FieldType.REF and f.ref_group == "legal_basis"
)


@rule(
    "C10",
    _("Every legal basis is cited somewhere"),
    codes=["E02.02"],
    severity=Severity.ADVISORY,
    reference="compliance review rule 4",
)
def every_basis_is_cited(view: View) -> Iterator[Issue]:
    cited: set[str] = set()
    for code in LEGAL_BASIS_REFS:
        field = REGISTRY[code]
        holders = view.rows(field.group) if field.repeats else [{code: view.value(code)}]
        for row in holders:
            cited.update(row.get(code) or [])
    for row in view.rows("legal_basis"):
        if row["row_id"] not in cited:
            yield issue(
                fmt(
                    _(
                        "%(basis)s is cited by nothing: no condition, material, time limit, fee "
                        "or other field refers to it. Cite it where it applies or remove it."
                    ),
                    basis=describe("legal_basis", row),
                ),
                "E02.02",
                row=row,
            )


@rule(
    "C11",
    _("A fee rests on a law or administrative regulation"),
    codes=["E08.05", "E02.03"],
    reference="compliance review rule 8",
)
def fee_rests_on_law(view: View) -> Iterator[Issue]:
    for row in view.rows("fee_item"):
        bases = view.refs(row, "E08.05")
        if bases and not any(b.get("E02.03") in LAW_OR_REGULATION for b in bases):
            yield issue(
                fmt(
                    _(
                        "The fee “%(fee)s” cites no law or administrative regulation (%(bases)s); "
                        "under Licensing Law arts. 58–59 a fee needs one, plus the document "
                        "setting the amount."
                    ),
                    fee=describe("fee_item", row),
                    bases=[describe("legal_basis", b) for b in bases],
                ),
                "E08.05",
                "E02.03",
                row=row,
            )
