from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the product: health check, backup and restore, the RQ task backend."""

    name = "ops"
    verbose_name = _("Operations")
