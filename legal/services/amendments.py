"""Entering a new version of a law: an amendment (a new text) or a repeal.

The version in force becomes "amended" or "repealed" and points at the new
record, and every standard whose open draft or current publication cites it is
flagged (`legal.services.flags`). Everything happens in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from legal.models import Article, Law, LawChangeFlag, LawVersion
from legal.normalise import article_label
from legal.services.citations import Library, link_versions, live_versions
from legal.services.flags import flag_standards_citing


@dataclass(frozen=True)
class ArticleText:
    ordinal: int
    text: str
    number: str = ""


@dataclass(frozen=True)
class NewVersionResult:
    version: LawVersion
    superseded: LawVersion
    flags: list[LawChangeFlag]


def check_supersession(old: LawVersion, new: LawVersion) -> None:
    """Refuse a new version that cannot replace `old`, with the message at the field."""
    if old.law_id != new.law_id:
        raise ValidationError({"law": _("The new version must be of the same law.")})
    if old.status != LawVersion.Status.IN_FORCE:
        raise ValidationError({"law": _("Only the version in force can be amended or repealed.")})
    if new.promulgated_on <= old.promulgated_on:
        raise ValidationError(
            {
                "promulgated_on": _(
                    "The new version must be dated after the version it replaces (%(date)s)."
                )
                % {"date": old.promulgated_on.isoformat()}
            }
        )


@transaction.atomic
def supersede(*, old: LawVersion, new: LawVersion) -> NewVersionResult:
    """Save `new` (unsaved) as the successor of `old` and flag the standards citing `old`.

    Citations of live versions are refreshed first, against the library as it
    stands, so that no row moves to the new version unnoticed.
    """
    old = LawVersion.objects.select_for_update().select_related("law").get(pk=old.pk)
    check_supersession(old, new)
    link_versions(live_versions(), library=Library.load())
    repeal = new.status == LawVersion.Status.REPEALED
    old.status = LawVersion.Status.REPEALED if repeal else LawVersion.Status.AMENDED
    # The in-force slot must be free before the new version takes it; the
    # successor pointer follows once the new version has a key.
    old.save(update_fields=["status"])
    new.full_clean()
    new.save()
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    flags = flag_standards_citing(old=old, new=new)
    return NewVersionResult(version=new, superseded=old, flags=flags)


def enter_new_version(
    law: Law,
    *,
    document_number: str,
    issuing_authority: str,
    promulgated_on: datetime.date,
    effective_on: datetime.date | None = None,
    repealed: bool = False,
    note: str = "",
    articles: Iterable[ArticleText] = (),
) -> NewVersionResult:
    """Record an amendment (with its articles) or a repeal of `law`'s version in force."""
    with transaction.atomic():
        old = LawVersion.objects.in_force().filter(law=law).first()
        if old is None:
            raise ValidationError({"law": _("This law has no version in force to replace.")})
        new = LawVersion(
            law=law,
            document_number=document_number,
            issuing_authority=issuing_authority,
            promulgated_on=promulgated_on,
            effective_on=effective_on,
            status=LawVersion.Status.REPEALED if repealed else LawVersion.Status.IN_FORCE,
            note=note,
        )
        articles = list(articles)
        if articles and repealed:
            raise ValidationError({"articles": _("A repeal has no articles.")})
        result = supersede(old=old, new=new)
        Article.objects.bulk_create(
            Article(
                law_version=new,
                ordinal=a.ordinal,
                number=a.number or article_label(a.ordinal),
                text=a.text,
            )
            for a in articles
        )
        return result
