"""The dashboard, its CSV exports and the consistency checks page.

Signed-in editorial reviewers and department leaders only; anyone else
signed in is refused (403), anonymous users are sent to sign in.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from oversight.csv_export import csv_response
from oversight.scope import Scope, scope_for
from oversight.services import consistency
from oversight.tables import BUILDERS, all_tables
from standards.models import Department


def _scope(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if scope is None:
        raise PermissionDenied
    return scope


def _heading(scope: Scope) -> str | None:
    if scope.department_id is None:
        return None
    return Department.objects.values_list("name", flat=True).get(pk=scope.department_id)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    context = {"tables": all_tables(scope), "department_name": _heading(scope)}
    return render(request, "oversight/dashboard.html", context)


@login_required
@require_GET
def export(request: HttpRequest, table: str) -> HttpResponse:
    scope = _scope(request)
    builder = BUILDERS.get(table)
    if builder is None:
        raise Http404
    built = builder(scope)
    return csv_response(f"oversight-{built.slug}.csv", built.headers, built.rows)


@login_required
@require_GET
def checks(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    context = {
        "materials": consistency.material_name_variants(scope),
        "articles": consistency.article_limit_conflicts(scope),
        "levels": consistency.uncovered_levels(scope),
        "department_name": _heading(scope),
    }
    return render(request, "oversight/checks.html", context)
