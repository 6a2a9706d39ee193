from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    """The legal-text library: laws, their versions and articles, and who cites them."""

    name = "legal"
    verbose_name = _("Legal-text library")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receiver run on publication
