"""Laws, standards citing them, and people, for the library's tests."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from legal.models import Article, Law, LawVersion
from standards.models import PublishedSnapshot, StandardVersion
from standards.models.elements import Condition, LegalBasis, Material
from standards.registry import REGISTRY
from standards.roles import Role, ensure_role_groups
from standards.snapshot import SCHEMA_VERSION, standard_meta
from tests.factories import (
    ApprovalItemFactory,
    DepartmentFactory,
    StandardFactory,
    UserFactory,
    VersionFactory,
)


def law(
    name: str, dates: Sequence[datetime.date], *, level: str = "1", articles: Sequence[int] = ()
) -> tuple[Law, list[LawVersion]]:
    """A law with versions promulgated on `dates` (oldest first); the last is in force."""
    record = Law.objects.create(
        name=name, level=level, issuing_authority="全国人民代表大会常务委员会"
    )
    versions: list[LawVersion] = []
    for date in dates:
        if versions:
            versions[-1].status = LawVersion.Status.AMENDED
            versions[-1].save(update_fields=["status"])
        version = LawVersion.objects.create(
            law=record,
            document_number=f"主席令第{date.year % 100}号",
            issuing_authority=record.issuing_authority,
            promulgated_on=date,
            effective_on=date,
        )
        if versions:
            versions[-1].superseded_by = version
            versions[-1].save(update_fields=["superseded_by"])
        for ordinal in articles:
            Article.objects.create(
                law_version=version, ordinal=ordinal, text=f"第{ordinal}条的内容"
            )
        versions.append(version)
    return record, versions


def person(role: Role, department: Any = None, name: str | None = None) -> Any:
    user: Any = UserFactory.create(
        username=name or f"{role}-{UserFactory._meta.model.objects.count()}",
        department=department,
        email=f"{role}@example.gov.cn",
    )
    user.groups.set([ensure_role_groups()[role]])
    return user


def standard_version(
    *,
    department: Any = None,
    state: str = StandardVersion.State.DRAFT,
    number: int = 1,
    standard: Any = None,
) -> StandardVersion:
    if standard is None:
        department = department or DepartmentFactory()
        standard = StandardFactory(item=ApprovalItemFactory(department=department))
    version: StandardVersion = VersionFactory.create(standard=standard, number=number, state=state)
    return version


def cite(
    version: StandardVersion,
    law_name: str,
    article: str,
    *,
    revised: datetime.date | None = None,
    position: int = 0,
) -> LegalBasis:
    """A legal-basis row of `version` citing `law_name`, `article` (as typed)."""
    return LegalBasis.objects.create(
        version=version,
        position=position,
        basis_kind="1",
        law_name=law_name,
        law_level="1",
        article_number=article,
        revision_date=revised,
        effective_date=revised,
    )


def condition_on(version: StandardVersion, *rows: LegalBasis) -> Condition:
    condition = Condition.objects.create(version=version, condition_text="具备相应条件")
    condition.legal_basis.set(rows)
    return condition


def material_on(version: StandardVersion, *rows: LegalBasis) -> Material:
    material = Material.objects.create(version=version, name="申请书")
    material.legal_basis.set(rows)
    return material


def published_snapshot(version: StandardVersion, publisher: Any) -> PublishedSnapshot:
    """Store the snapshot as `workflow.publish` does, so the publication hooks run."""
    return PublishedSnapshot.objects.create(
        version=version,
        schema_version=SCHEMA_VERSION,
        data={"standard": standard_meta(version), "content": {}},
        published_by=publisher,
    )


CONDITION_BASIS = REGISTRY.field("condition", "legal_basis").code
MATERIAL_BASIS = REGISTRY.field("material", "legal_basis").code
ROW = REGISTRY.field("legal_basis", "law_name").code
