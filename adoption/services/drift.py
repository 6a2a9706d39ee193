"""The drift report: for every template, which adopters depart from it, where and why.

A departure is an override (a field or a whole row, with its reason). The
report also says which adopters still follow an older template version. Two
queries whatever the number of templates, adopters and overrides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from adoption.models import Override, Template
from standards.models import StandardVersion
from standards.registry import REGISTRY


@dataclass(frozen=True)
class DriftRow:
    template: str
    template_department: str
    adopter: str
    region: str
    field_code: str
    field_label: str
    row_uid: str
    reason: str
    by: str
    at: Any
    adopted_number: int
    latest_number: int

    @property
    def behind(self) -> bool:
        return self.adopted_number < self.latest_number


SORTS = {
    "template": lambda r: (r.template, r.adopter, r.field_code),
    "adopter": lambda r: (r.adopter, r.template, r.field_code),
    "field": lambda r: (r.field_code, r.template, r.adopter),
    "at": lambda r: (r.at, r.template),
}


def field_label(code: str) -> str:
    if not code:
        return _("whole row")
    field = REGISTRY.get(code)
    return f"{code} {field.label}" if field is not None else code


def drift_rows(
    sort: str = "template", *, descending: bool = False, scope: Q | None = None
) -> list[DriftRow]:
    """The departures the scope (a filter on overrides) covers, sorted."""
    latest = dict(
        Template.objects.annotate(
            latest=Max(
                "standard__versions__number",
                filter=Q(standard__versions__state=StandardVersion.State.PUBLISHED),
            )
        ).values_list("pk", "latest")
    )
    overrides = Override.objects.filter(scope or Q()).select_related(
        "adoption__standard__department",
        "adoption__standard__region",
        "adoption__template__standard__item",
        "adoption__template__standard__department",
        "adoption__adopted_template_version",
        "created_by",
    )
    rows = [
        DriftRow(
            template=o.adoption.template.standard.item.name,
            template_department=o.adoption.template.standard.department.name,
            adopter=o.adoption.standard.department.name,
            region=o.adoption.standard.region.name,
            field_code=o.field_code,
            field_label=field_label(o.field_code),
            row_uid=o.row_uid,
            reason=o.reason,
            by=o.created_by.get_full_name() or o.created_by.username,
            at=o.at,
            adopted_number=o.adoption.adopted_template_version.number,
            latest_number=latest.get(o.adoption.template_id) or 0,
        )
        for o in overrides
    ]
    rows.sort(key=SORTS.get(sort, SORTS["template"]), reverse=descending)
    return rows


CSV_HEADERS = (
    "模板事项",
    "模板制定部门",
    "采用部门",
    "地区",
    "字段",
    "行",
    "偏离理由",
    "记录人",
    "记录时间",
    "采用的模板版本",
    "模板最新版本",
)


def csv_rows(rows: list[DriftRow]) -> list[list[Any]]:
    return [
        [
            r.template,
            r.template_department,
            r.adopter,
            r.region,
            r.field_label,
            r.row_uid,
            r.reason,
            r.by,
            r.at.strftime("%Y-%m-%d %H:%M"),
            r.adopted_number,
            r.latest_number,
        ]
        for r in rows
    ]
