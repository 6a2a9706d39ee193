"""The department's workflow actions: submit, confirm, publish, withdraw."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standards.access import version_for_editor
from standards.registry import REGISTRY
from standards.services import workflow

DEPARTMENT_ACTIONS = ("submit", "confirm", "publish", "withdraw")


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in DEPARTMENT_ACTIONS:
        raise Http404
    version = version_for_editor(request.user, pk)
    if not workflow.allowed(request.user, version, action):
        raise PermissionDenied
    try:
        match action:
            case "submit":
                workflow.submit(version=version, user=request.user)
                messages.success(request, _("Submitted for filing review."))
            case "confirm":
                workflow.confirm(version=version, user=request.user)
                messages.success(request, _("Confirmed."))
            case "publish":
                workflow.publish(
                    version=version,
                    user=request.user,
                    effective_from=_date(request.POST.get("effective_from")),
                )
                messages.success(request, _("Published."))
            case "withdraw":
                workflow.withdraw(
                    version=version, user=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Withdrawn."))
    except workflow.SubmissionBlocked as blocked:
        return _blocked(request, version, blocked)
    except workflow.TransitionError as error:
        messages.error(request, str(error))
    return redirect("standards:version", pk=pk)


def _blocked(
    request: HttpRequest, version: object, blocked: workflow.SubmissionBlocked
) -> HttpResponse:
    missing = [REGISTRY[code] for code in blocked.missing if code in REGISTRY]
    context = {"version": version, "findings": blocked.findings, "missing": missing}
    return render(request, "standards/editor/blocked.html", context, status=422)


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
