from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdoptionConfig(AppConfig):
    """Provincial template standards, their adoption by cities and counties, and drift."""

    name = "adoption"
    verbose_name = _("Templates and adoption")

    def ready(self) -> None:
        # Template publications reach adopters; inherited fields are locked on save.
        from standards.services.editing import SAVE_CHECKS

        from . import signals  # noqa: F401
        from .services.locks import refuse_locked_changes

        if refuse_locked_changes not in SAVE_CHECKS:
            SAVE_CHECKS.append(refuse_locked_changes)
