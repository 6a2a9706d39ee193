"""Conditions (E04), materials (E05) and applicant forms (E13) against each other.

README cross-field rules 15–20.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..engine import Issue, issue, rule
from ..messages import code_label, fmt, must_fill
from ..units import at_most, span
from ..view import Row, View, codes, describe, filled
from .timelimits import longer_than

CONDITIONAL = "2"  # necessity 非必要
TOLERATED = "3"  # necessity 容缺后补
APPROVAL_CONDITION = "1"  # condition_kind 予以批准的条件
DATA_SHARING = "6"  # review_method 数据共享核验
APPLICANT = "1"  # document_audience 申请人


@rule(
    "R15a",
    _("A conditional material says when it is needed"),
    codes=["E05.04", "E05.25"],
    reference="README cross-field rule 15",
)
def conditional_material_has_condition(view: View) -> Iterator[Issue]:
    for row in view.rows("material"):
        if row.get("E05.04") == CONDITIONAL and not filled(row.get("E05.25")):
            reason = fmt(
                _("the material “%(material)s” is only needed in some cases"),
                material=describe("material", row),
            )
            yield issue(must_fill("E05.25", reason), "E05.25", "E05.04", row=row)


@rule(
    "R15b",
    _("A tolerated (容缺) material has conditions, a deadline and acceptance rules"),
    codes=["E05.04", "E05.22", "E05.23", "E05.24", "E06.05", "E06.06", "P03.12"],
    reference="README cross-field rule 15",
)
def tolerated_material_is_bounded(view: View) -> Iterator[Issue]:
    promised = span(view.value("E06.05"), view.value("E06.06"))
    tolerated = [row for row in view.rows("material") if row.get("E05.04") == TOLERATED]
    for row in tolerated:
        reason = fmt(
            _("the material “%(material)s” may be handed in later (容缺后补)"),
            material=describe("material", row),
        )
        for code in ("E05.22", "E05.23", "E05.24"):
            if not filled(row.get(code)):
                yield issue(must_fill(code, reason), code, "E05.04", row=row)
        deadline = span(row.get("E05.23"), row.get("E05.24"))
        if deadline and promised:
            found = longer_than(
                fmt(
                    _("The deadline for handing in “%(material)s” later"),
                    material=describe("material", row),
                ),
                deadline,
                _("the promised time limit"),
                promised,
                at_most(deadline, promised),
            )
            if found:
                yield issue(
                    found.message, "E05.23", "E05.24", "E06.05", row=row, severity=found.severity
                )
    if tolerated and not filled(view.value("P03.12")):
        yield issue(
            must_fill("P03.12", _("some materials may be handed in later (容缺后补)")),
            "P03.12",
            "E05.04",
        )


@rule(
    "R16",
    _("A material's source is explained"),
    codes=["E05.05", "E05.06", "E05.07", "E05.19", "E05.20"],
    reference="README cross-field rule 16",
)
def source_is_explained(view: View) -> Iterator[Issue]:
    for row in view.rows("material"):
        channel, name = row.get("E05.05"), describe("material", row)
        if channel and channel != "10" and not filled(row.get("E05.06")):
            reason = fmt(
                _("the material “%(material)s” comes from “%(channel)s”, not from the applicant"),
                material=name,
                channel=code_label("source_channel", channel),
            )
            yield issue(must_fill("E05.06", reason), "E05.06", "E05.05", row=row)
        if channel in ("20", "30") and not filled(row.get("E05.07")):
            reason = fmt(
                _("the material “%(material)s” has the source “%(channel)s”"),
                material=name,
                channel=code_label("source_channel", channel),
            )
            yield issue(must_fill("E05.07", reason), "E05.07", "E05.05", row=row)
        if row.get("E05.19") is True and not filled(row.get("E05.20")):
            reason = fmt(
                _("the material “%(material)s” is obtained by data sharing"), material=name
            )
            yield issue(must_fill("E05.20", reason), "E05.20", "E05.19", row=row)


@rule(
    "R17",
    _("Counts, paper size and electronic version fit the material's type and form"),
    codes=["E05.02", "E05.03", "E05.10", "E05.11", "E05.12", "E05.13"],
    reference="README cross-field rule 17",
)
def counts_fit_type_and_form(view: View) -> Iterator[Issue]:
    for row in view.rows("material"):
        kind, form, name = row.get("E05.02"), row.get("E05.03"), describe("material", row)
        checks = (
            (kind in ("1", "3"), "E05.10", _("an original")),
            (kind in ("2", "3"), "E05.11", _("a copy")),
        )
        for applies, code, what in checks:
            count = row.get(code)
            if applies and not (isinstance(count, int) and count >= 1):
                yield issue(
                    fmt(
                        _(
                            "The material “%(material)s” is handed in as %(what)s, so its number "
                            "(%(code)s) must be at least 1; it is %(count)s."
                        ),
                        material=name,
                        what=what,
                        code=code,
                        count=count if count is not None else "—",
                    ),
                    code,
                    "E05.02",
                    row=row,
                )
        if form in ("1", "3") and not filled(row.get("E05.12")):
            reason = fmt(_("the material “%(material)s” is handed in on paper"), material=name)
            yield issue(must_fill("E05.12", reason), "E05.12", "E05.03", row=row)
        if form in ("2", "3") and row.get("E05.13") is not True:
            yield issue(
                fmt(
                    _(
                        "The material “%(material)s” is handed in electronically, so “Electronic "
                        "version required” must be yes."
                    ),
                    material=name,
                ),
                "E05.13",
                "E05.03",
                row=row,
            )


@rule(
    "R18a",
    _("A blank form comes with a filled sample"),
    codes=["E05.14", "E05.15"],
    reference="README cross-field rule 18",
)
def blank_form_has_sample(view: View) -> Iterator[Issue]:
    for row in view.rows("material"):
        if filled(row.get("E05.14")) and not filled(row.get("E05.15")):
            reason = fmt(
                _("the material “%(material)s” has a blank form"),
                material=describe("material", row),
            )
            yield issue(must_fill("E05.15", reason), "E05.15", "E05.14", row=row)


@rule(
    "R18b",
    _("Each applicant form is exactly one document row linked to its material"),
    codes=["E05.14", "E13.08"],
    reference="README cross-field rule 18",
)
def applicant_form_is_linked(view: View) -> Iterator[Issue]:
    linked: dict[str, list[Row]] = {}
    for document in view.rows("document"):
        for material in view.refs(document, "E13.08"):
            linked.setdefault(material["row_id"], []).append(document)
    for material in view.rows("material"):
        documents = linked.get(material["row_id"], [])
        name = describe("material", material)
        if documents and not filled(material.get("E05.14")):
            yield issue(
                fmt(
                    _(
                        "The material “%(material)s” is an applicant form (document "
                        "“%(document)s”), "
                        "but has no blank form. Upload the same blank form as the document."
                    ),
                    material=name,
                    document=describe("document", documents[0]),
                ),
                "E05.14",
                row=material,
            )
        elif filled(material.get("E05.14")) and not documents:
            yield issue(
                fmt(
                    _(
                        "The material “%(material)s” has a blank form, but no document row (E13) "
                        "is "
                        "linked to it. Add the form as a document with “Related material” set to "
                        "this material."
                    ),
                    material=name,
                ),
                "E05.14",
                "E13.08",
                row=material,
            )
        elif len(documents) > 1:
            yield issue(
                fmt(
                    _(
                        "The material “%(material)s” is linked from several documents "
                        "(%(documents)s); "
                        "an applicant form is one document row."
                    ),
                    material=name,
                    documents=[describe("document", d) for d in documents],
                ),
                "E13.08",
                "E05.14",
                row=material,
            )


@rule(
    "R18c",
    _("A document used by the applicant has a filled sample"),
    codes=["E13.03", "E13.05"],
    reference="README cross-field rule 18",
)
def applicant_document_has_sample(view: View) -> Iterator[Issue]:
    for row in view.rows("document"):
        if row.get("E13.03") == APPLICANT and not filled(row.get("E13.05")):
            reason = fmt(
                _("the document “%(document)s” is used by the applicant"),
                document=describe("document", row),
            )
            yield issue(must_fill("E13.05", reason), "E13.05", "E13.03", row=row)


@rule(
    "R19a",
    _("Each approval condition is proved"),
    codes=["E04.01", "E04.07", "E04.08", "E04.09"],
    reference="README cross-field rule 19",
)
def approval_conditions_are_proved(view: View) -> Iterator[Issue]:
    for row in view.rows("condition"):
        if row.get("E04.01") != APPROVAL_CONDITION:
            continue
        if (
            filled(row.get("E04.08"))
            or DATA_SHARING in codes(row.get("E04.07"))
            or row.get("E04.09") is True
        ):
            continue
        yield issue(
            fmt(
                _(
                    "Nothing proves the approval condition “%(condition)s”: link the materials "
                    "that prove it, verify it by data sharing, or allow a commitment."
                ),
                condition=describe("condition", row),
            ),
            "E04.08",
            "E04.07",
            "E04.09",
            row=row,
        )


@rule(
    "R19b",
    _("Each material proves a condition or serves another process"),
    codes=["E05.01", "E04.08", "PX.07"],
    reference="README cross-field rule 19",
)
def materials_are_used(view: View) -> Iterator[Issue]:
    used = {r["row_id"] for row in view.rows("condition") for r in view.refs(row, "E04.08")}
    used |= {r["row_id"] for row in view.applicable_processes() for r in view.refs(row, "PX.07")}
    for row in view.rows("material"):
        if row["row_id"] not in used:
            yield issue(
                fmt(
                    _(
                        "The material “%(material)s” proves no condition and no other process asks "
                        "for it. Link it to the condition it proves (Proving materials) or remove "
                        "it."
                    ),
                    material=describe("material", row),
                ),
                "E05.01",
                "E04.08",
                "PX.07",
                row=row,
            )


@rule(
    "R20a",
    _("Commitments are allowed only under the notification-commitment system"),
    codes=["E04.09", "B00.27"],
    reference="README cross-field rule 20",
)
def commitment_needs_the_system(view: View) -> Iterator[Issue]:
    if view.value("B00.27") is not False:
        return
    for row in view.rows("condition"):
        if row.get("E04.09") is True:
            yield issue(
                fmt(
                    _(
                        "The condition “%(condition)s” allows a commitment, but the item does not "
                        "apply the notification-commitment system (告知承诺制)."
                    ),
                    condition=describe("condition", row),
                ),
                "E04.09",
                "B00.27",
                row=row,
            )


@rule(
    "R20b",
    _("The notification-commitment system names the conditions it covers"),
    codes=["B00.27", "E04.09"],
    reference="README cross-field rule 20",
)
def system_has_commitments(view: View) -> Iterator[Issue]:
    if view.value("B00.27") is True and not any(
        row.get("E04.09") is True for row in view.rows("condition")
    ):
        yield issue(
            _(
                "The item applies the notification-commitment system (告知承诺制), but no "
                "condition allows a commitment. Mark the conditions the applicant may meet by "
                "commitment."
            ),
            "B00.27",
            "E04.09",
        )
