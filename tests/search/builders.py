"""Published versions for search tests, without walking the whole workflow.

The snapshot is a real sample's (so every public field the index reads is
there) with the searched fields replaced; the PublishedSnapshot is stored the
way `workflow.publish` stores it, so the index hooks run as in production.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from search.indexing import (
    COMMON_NAME,
    CONDITION_TEXT,
    IS_CHARGED,
    MATERIAL_NAME,
    ON_SITE_VISITS,
    PROMISED_LIMIT,
    THEME_ENTERPRISE,
    THEME_PERSON,
)
from standards.models import PublishedSnapshot, Region, StandardVersion
from standards.snapshot import SCHEMA_VERSION, standard_meta
from tests.factories import (
    ApprovalItemFactory,
    DepartmentFactory,
    StandardFactory,
    UserFactory,
    VersionFactory,
)


def publish(
    template: dict[str, Any],
    *,
    name: str = "食品经营许可",
    common_name: str = "",
    department: Any = None,
    department_name: str | None = None,
    region: Region | None = None,
    item_type: str = "01",
    conditions: Sequence[str] = (),
    materials: Sequence[str] = (),
    themes_person: Sequence[str] = (),
    themes_enterprise: Sequence[str] = (),
    promised_limit: int = 5,
    charged: bool = False,
    visits: int = 1,
    standard: Any = None,
    number: int = 1,
    user: Any = None,
) -> StandardVersion:
    """A published version (state and snapshot) of a new or given standard."""
    if standard is None:
        if department is None:
            extra = {"name": department_name} if department_name is not None else {}
            department = DepartmentFactory(**extra, **({"region": region} if region else {}))
        item = ApprovalItemFactory(
            name=name, common_name=common_name, department=department, item_type=item_type
        )
        standard = StandardFactory(item=item, department=department, region=department.region)
    version: StandardVersion = VersionFactory.create(
        standard=standard,
        number=number,
        state=StandardVersion.State.PUBLISHED,
        effective_from=timezone.localdate(),
    )
    data = copy.deepcopy(template)
    data["standard"] = standard_meta(version)
    content = data["content"]
    content["basic_info"][COMMON_NAME.code] = common_name or None
    content["basic_info"][THEME_PERSON.code] = list(themes_person)
    content["basic_info"][THEME_ENTERPRISE.code] = list(themes_enterprise)
    content["basic_info"][ON_SITE_VISITS.code] = visits
    content["time_limit"][PROMISED_LIMIT.code] = promised_limit
    content["fee"][IS_CHARGED.code] = charged
    row = content["condition"][0]
    content["condition"] = [{**row, CONDITION_TEXT.code: text} for text in conditions]
    row = content["material"][0]
    content["material"] = [{**row, MATERIAL_NAME.code: text} for text in materials]
    PublishedSnapshot.objects.create(
        version=version,
        schema_version=SCHEMA_VERSION,
        data=data,
        published_by=user or UserFactory.create(department=None),
    )
    return version
