"""Abstract bases of the content models: one model per registry group.

A single-valued group (basic information, time limit, each general process)
is a `SectionContent`, one row per version. A repeating group (legal bases,
conditions, materials, links ...) is a `RowContent`, many rows per version,
each with a `uid` that survives copying into the next version so that diffs
and review comments can follow a row across versions.

Only `BOOKKEEPING_FIELDS` are not registry fields; everything else on a
content model is declared with `registered(code)`.
"""

import uuid
from typing import ClassVar

from django.db import models
from simple_history.models import HistoricalRecords

BOOKKEEPING_FIELDS = frozenset({"id", "version", "uid", "position"})


class ContentModel(models.Model):
    registry_group: ClassVar[str]

    # Reference fields whose changes django-simple-history records as well.
    _history_m2m_fields: ClassVar[list[str]] = []

    class Meta:
        abstract = True


class SectionContent(ContentModel):
    version = models.OneToOneField(
        "standards.StandardVersion", on_delete=models.CASCADE, related_name="%(class)s"
    )
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} · {self.version}"


class RowContent(ContentModel):
    version = models.ForeignKey(
        "standards.StandardVersion", on_delete=models.CASCADE, related_name="%(class)s_rows"
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "uid"], name="%(app_label)s_%(class)s_unique_uid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.position + 1}"
