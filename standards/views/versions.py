"""Comparing two versions of a standard, and a version's history.

Only the standard's own department sees these pages: versions are fetched
through `writable_versions`, so anything else is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from standards.access import version_for_editor, writable_versions
from standards.changes import compare_versions, default_before
from standards.changes.history import version_history
from standards.models import StandardVersion


@login_required
@require_GET
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """`?a=<version>&b=<version>`; by default the previous published one against the latest."""
    versions = list(
        writable_versions(request.user)
        .filter(standard_id=pk)
        .select_related("standard__item", "standard__department", "standard__region")
        .order_by("-number")
    )
    if not versions:
        raise Http404
    after = _chosen(versions, request.GET.get("b")) or versions[0]
    before = _chosen(versions, request.GET.get("a"))
    if before is None:
        before = default_before(versions, after)
    context = {
        "standard": versions[0].standard,
        "versions": versions,
        "before": before,
        "after": after,
        "comparison": compare_versions(before, after) if before is not None else None,
    }
    return render(request, "standards/versions/compare.html", context)


@login_required
@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for_editor(request.user, pk)
    context = {"version": version, "events": version_history(version)}
    return render(request, "standards/versions/history.html", context)


def _chosen(versions: list[StandardVersion], raw: str | None) -> StandardVersion | None:
    """The version named by a query parameter; 404 when it is not one of `versions`."""
    if not raw:
        return None
    for version in versions:
        if str(version.pk) == raw.strip():
            return version
    raise Http404
