"""The approval result (E07), quantity limits (E09) and intermediary services (E10).

README cross-field rules 25–28.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..engine import Issue, issue, rule
from ..messages import code_label, fmt, must_fill
from ..view import View, codes, describe, filled

NO_EXPIRY = "4"  # validity_unit 长期
INTERMEDIARY = "30"  # source_channel 中介机构出具


def expected_result_type(name: str) -> str | None:
    """The result type a result name implies: …证/…照 is 证照 (1); …批复/批文/决定书 is 批文 (2)."""
    name = name.strip().rstrip("。．.）)》」”")
    if name.endswith(("证", "照")):
        return "1"
    if name.endswith(("批复", "批文", "决定书")):
        return "2"
    return None


@rule(
    "R25a",
    _("A named result has a sample"),
    codes=["E07.02", "E07.03"],
    reference="README cross-field rule 25",
)
def result_has_sample(view: View) -> Iterator[Issue]:
    if filled(view.value("E07.02")) and not filled(view.value("E07.03")):
        yield issue(
            must_fill(
                "E07.03",
                fmt(_("the result “%(result)s” is named"), result=view.value("E07.02")),
            ),
            "E07.03",
            "E07.02",
        )


@rule(
    "R25b",
    _("The result type fits the result name"),
    codes=["E07.01", "E07.02"],
    reference="README cross-field rule 25",
)
def result_type_fits_name(view: View) -> Iterator[Issue]:
    name, kind = view.value("E07.02"), view.value("E07.01")
    expected = expected_result_type(name) if name else None
    if expected and kind and kind != expected:
        yield issue(
            fmt(
                _(
                    "The result “%(result)s” is a %(expected)s by its name, but the result type "
                    "is “%(kind)s”."
                ),
                result=name,
                expected=code_label("result_type", expected),
                kind=code_label("result_type", kind),
            ),
            "E07.01",
            "E07.02",
        )


@rule(
    "R25c",
    _("A result that expires states its validity period and basis"),
    codes=["E07.05", "E07.04", "E07.06"],
    reference="README cross-field rule 25",
)
def validity_is_stated(view: View) -> Iterator[Issue]:
    unit = view.value("E07.05")
    if unit and unit != NO_EXPIRY:
        for code in ("E07.04", "E07.06"):
            if not filled(view.value(code)):
                yield issue(
                    must_fill(code, _("the result is valid for a limited period")), code, "E07.05"
                )


@rule(
    "R26a",
    _("An annual inspection has a basis and rules"),
    codes=["E07.11", "E07.12", "P08.06"],
    reference="README cross-field rule 26",
)
def annual_inspection_is_described(view: View) -> Iterator[Issue]:
    if view.value("E07.11") is True:
        for code in ("E07.12", "P08.06"):
            if not filled(view.value(code)):
                yield issue(must_fill(code, _("the result is inspected annually")), code, "E07.11")


@rule(
    "R26b",
    _("An electronic certificate has a catalogue code, and only then"),
    codes=["E07.14", "E07.15"],
    reference="README cross-field rule 26",
)
def e_certificate_has_code(view: View) -> Iterator[Issue]:
    issued, code = view.value("E07.14"), view.value("E07.15")
    if issued is True and not filled(code):
        yield issue(
            must_fill("E07.15", _("an electronic certificate is issued")), "E07.15", "E07.14"
        )
    elif issued is False and filled(code):
        yield issue(
            fmt(
                _(
                    "An e-certificate catalogue code (%(code)s) is given, but “Electronic "
                    "certificate issued” is no."
                ),
                code=code,
            ),
            "E07.14",
            "E07.15",
        )


@rule(
    "R26c",
    _("Downloading the result online needs an electronic certificate"),
    codes=["E07.13", "E07.14"],
    reference="README cross-field rule 26",
)
def download_needs_e_certificate(view: View) -> Iterator[Issue]:
    if "3" in codes(view.value("E07.13")) and view.value("E07.14") is False:
        yield issue(
            _(
                "The result can be downloaded online (电子证照), but “Electronic certificate "
                "issued” is no."
            ),
            "E07.14",
            "E07.13",
        )


@rule(
    "R26d",
    _("Collecting the result at the window names the place"),
    codes=["E07.13", "P06.07"],
    reference="README cross-field rule 26",
)
def pickup_has_place(view: View) -> Iterator[Issue]:
    if "1" in codes(view.value("E07.13")) and not filled(view.value("P06.07")):
        yield issue(
            must_fill("P06.07", _("the result can be collected at the window")), "P06.07", "E07.13"
        )


@rule(
    "R27",
    _("A quantity limit is fully described"),
    codes=["E09.01", "E09.02", "E09.03", "E09.04", "E09.05", "E09.06", "E09.07"],
    reference="README cross-field rule 27",
)
def quantity_limit_is_described(view: View) -> Iterator[Issue]:
    if view.value("E09.01") is not True:
        return
    for code in ("E09.02", "E09.03", "E09.04", "E09.05", "E09.07"):
        if not filled(view.value(code)):
            yield issue(must_fill(code, _("the item has a quantity limit")), code, "E09.01")
    method = view.value("E09.05")
    if method in ("1", "2", "3") and not filled(view.value("E09.06")):
        reason = fmt(
            _("places are allocated by %(method)s"),
            method=code_label("allocation_method", method),
        )
        yield issue(must_fill("E09.06", reason), "E09.06", "E09.05")


@rule(
    "R28a",
    _("Intermediary services are listed exactly when the item involves them"),
    codes=["E10.01", "E10.02"],
    reference="README cross-field rule 28",
)
def intermediary_services_listed(view: View) -> Iterator[Issue]:
    involved, services = view.value("E10.01"), view.rows("intermediary_service")
    if involved is True and not services:
        yield issue(
            _(
                "The item involves intermediary services, but none is listed. Add each "
                "statutory intermediary service."
            ),
            "E10.01",
            "E10.02",
        )
    elif involved is False and services:
        yield issue(
            fmt(
                _(
                    "The item is marked as involving no intermediary service, but services are "
                    "listed (%(services)s)."
                ),
                services=[describe("intermediary_service", row) for row in services],
            ),
            "E10.01",
            "E10.02",
        )


@rule(
    "R28b",
    _("The applicant chooses the intermediary freely"),
    codes=["E10.05"],
    reference="README cross-field rule 28",
)
def intermediary_freely_chosen(view: View) -> Iterator[Issue]:
    for row in view.rows("intermediary_service"):
        if row.get("E10.05") is False:
            yield issue(
                fmt(
                    _(
                        "The intermediary service “%(service)s” does not let the applicant choose "
                        "the provider. No provider may be designated: set “Applicant chooses "
                        "provider freely” to yes."
                    ),
                    service=describe("intermediary_service", row),
                ),
                "E10.05",
                row=row,
            )


@rule(
    "R28c",
    _("An intermediary service results in a material issued by an intermediary"),
    codes=["E10.11", "E05.05"],
    reference="README cross-field rule 28",
)
def intermediary_output_is_material(view: View) -> Iterator[Issue]:
    for row in view.rows("intermediary_service"):
        service = describe("intermediary_service", row)
        if not filled(row.get("E10.11")):
            reason = fmt(
                _("the intermediary service “%(service)s” must end in an application material"),
                service=service,
            )
            yield issue(must_fill("E10.11", reason), "E10.11", row=row)
        for material in view.refs(row, "E10.11"):
            if material.get("E05.05") != INTERMEDIARY:
                yield issue(
                    fmt(
                        _(
                            "The intermediary service “%(service)s” results in the material "
                            "“%(material)s”, whose source is “%(channel)s” instead of 中介机构出具."
                        ),
                        service=service,
                        material=describe("material", material),
                        channel=code_label("source_channel", material.get("E05.05"))
                        if material.get("E05.05")
                        else "—",
                    ),
                    "E10.11",
                    "E05.05",
                    row=row,
                )
