from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = _("Public service guides")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the cache invalidation receivers
