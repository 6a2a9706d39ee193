"""Security settings helpers: the Content-Security-Policy, the client address for
login throttling, and the staff session lifetime (ADR 15).

Kept apart from settings.py so the policy is one readable value with its
reasons, and so tests can import the same objects the settings use.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP

# settings.py imports this module: anything that needs the app registry
# (auth, shortcuts) is imported inside the functions below.

# Everything is served by the app itself (Bootstrap, htmx, Swagger UI are vendored),
# so 'self' suffices. No 'unsafe-inline' anywhere: our templates carry no inline
# script, style attribute or event handler. The nonce is only for the few inline
# blocks third-party templates still print with Django's {% csp_nonce_attr %}
# (the admin's change list <style>); a page that does not use it sends no nonce.
CONTENT_SECURITY_POLICY: dict[str, list[str]] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Bootstrap draws form-control icons as data: SVG images in its stylesheet.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address for login throttling.

    Behind `TRUSTED_PROXY_COUNT` reverse proxies the client is that many entries
    from the right of X-Forwarded-For (entries further left are the caller's own
    claim and could be forged to dodge the lockout); without proxies it is
    REMOTE_ADDR and the header is ignored.
    """
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


AUTH_STARTED_KEY = "_security_auth_started"
LAST_SEEN_KEY = "_security_last_seen"
# The idle clock is written at most this often, so a busy editor's requests do
# not each write the session row.
TOUCH_EVERY_SECONDS = 60


def start_session_clock(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Start both clocks when the user signs in (connected in standards.apps).

    Set at sign-in, the first request of a session does not have to write the
    session just to record them.
    """
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[AUTH_STARTED_KEY] = now
        session[LAST_SEEN_KEY] = now


class StaffSessionLifetimeMiddleware:
    """Sign out a session idle for SESSION_IDLE_TIMEOUT or older than SESSION_COOKIE_AGE.

    Django's session expiry is one clock (the cookie age); ASVS 7.3 asks for
    both an inactivity timeout and an absolute lifetime. The absolute limit is
    also enforced on the server here, not only by the browser dropping the cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                from django.contrib.auth import logout
                from django.contrib.auth.views import redirect_to_login

                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> bool:
        now = time.time()
        session = request.session
        started = session.get(AUTH_STARTED_KEY)
        last_seen = session.get(LAST_SEEN_KEY)
        if started is None or last_seen is None:
            session[AUTH_STARTED_KEY] = started or now
            session[LAST_SEEN_KEY] = now
            return False
        idle = settings.SESSION_IDLE_TIMEOUT
        if now - float(last_seen) > idle or now - float(started) > settings.SESSION_COOKIE_AGE:
            return True
        if now - float(last_seen) > TOUCH_EVERY_SECONDS:
            session[LAST_SEEN_KEY] = now
        return False


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: a page in the user's language, 429.

    It names the wait in minutes and nothing about whether the account exists.
    """
    from django.shortcuts import render

    cool_off = settings.AXES_COOLOFF_TIME
    wait = cool_off if isinstance(cool_off, datetime.timedelta) else datetime.timedelta(0)
    context = {"minutes": max(1, -(-int(wait.total_seconds()) // 60))}
    return render(request, "registration/locked_out.html", context, status=429)
