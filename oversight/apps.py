from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """The editorial office's dashboard and the cross-item consistency checks."""

    name = "oversight"
    verbose_name = _("Oversight")
