"""What a rule reports: a `Finding` with its `Severity`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Messages stay lazy until they are shown, so one finding renders in the
# language of whoever reads it.
type Text = str | Promise


class Severity(models.TextChoices):
    """Blocking findings stop filing; advisory ones are shown to the author and reviewer."""

    BLOCKING = "blocking", _("Blocking")
    ADVISORY = "advisory", _("Advisory")


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    message: Text
    # The field codes concerned, so a form can show the finding beside each field.
    codes: tuple[str, ...]
    # The row of a repeating group the finding is about, and that group's name.
    row_id: str | None = None
    group: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == Severity.BLOCKING

    def __str__(self) -> str:
        return f"{self.rule_id} [{self.severity}] {self.message}"
