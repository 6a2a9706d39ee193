"""Rate limits of the API: anonymous callers, per address."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, reading its rate when asked.

    DRF copies the rates into a class attribute at import, so a rate changed
    later (tests, `override_settings`) would be ignored; reading the settings
    each time keeps the configured rate the one in force.
    """

    def get_rate(self) -> str | None:
        rates = api_settings.DEFAULT_THROTTLE_RATES
        return rates.get(self.scope) if isinstance(rates, dict) else None
