"""PDFs rendered from published snapshots: the service guide and the business manual.

Unlike the snapshot they come from, these files may be rendered again (after a
template change); each records the hash of the snapshot it was made from.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .standard import StandardVersion


class RenderedDocument(models.Model):
    class Kind(models.TextChoices):
        GUIDE = "guide", _("Service guide")
        MANUAL = "manual", _("Business manual")

    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    file = models.FileField(_("file"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    snapshot_sha256 = models.CharField(_("SHA-256 of the snapshot"), max_length=64)
    rendered_at = models.DateTimeField(_("rendered at"), default=timezone.now)

    class Meta:
        ordering = ["version", "kind"]
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="one_document_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.kind}"
