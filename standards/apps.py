from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Approval-item standards")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from config.security import start_session_clock

        # Staff sessions' idle and absolute clocks start at sign-in (config.security).
        user_logged_in.connect(start_session_clock, dispatch_uid="session-clock-start")
