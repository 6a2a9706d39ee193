"""Users and their place in the organisation.

Access is decided from two facts kept here: the department a member of staff
belongs to, and the regions an editorial reviewer oversees. Roles are Django
groups (see `standards.roles`).
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .catalogue import Department, Region


class User(AbstractUser):
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )
    reviewed_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="reviewers",
        verbose_name=_("regions reviewed"),
        help_text=_("Editorial reviewers review filings of every department in these regions."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")  # type: ignore[assignment]  # lazy text is what Django expects
        verbose_name_plural = _("users")  # type: ignore[assignment]
        swappable = "AUTH_USER_MODEL"
