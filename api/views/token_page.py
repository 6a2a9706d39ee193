"""The signed-in user's API token: a small page to create or rotate it.

The key is shown only in the answer to the POST that made it, never again:
whoever needs it later rotates it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from api.tokens import may_hold_token, rotate


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_page(request: HttpRequest) -> HttpResponse:
    if not may_hold_token(request.user):
        raise PermissionDenied
    key = None
    if request.method == "POST":
        key = rotate(request.user).key
    token = Token.objects.filter(user=request.user).first()
    context = {"token": token, "key": key}
    return render(request, "api/token.html", context)
