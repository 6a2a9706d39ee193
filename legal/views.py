"""The library page, a flag's page and the leader's dismissal of a flag.

Thin views: access is checked by `legal.access`, work is done by the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from standards.registry import REGISTRY

from .access import flag_for_department, require_library_reader
from .forms import DismissForm
from .models import LawChangeFlag
from .services import library as library_service
from .services.flags import dismiss, may_dismiss

PAGE_SIZE = 50


@login_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    require_library_reader(request.user)
    query = (request.GET.get("q") or "").strip()[:50]
    level = request.GET.get("level", "")
    if level not in REGISTRY.codelist("law_level"):
        level = ""
    page = Paginator(library_service.laws(query, level), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "rows": library_service.rows_for(list(page.object_list)),
        "levels": REGISTRY.codelist("law_level").choices(),
        "filters": {"q": query, "level": level},
        "filter_query": urlencode({"q": query, "level": level}),
    }
    return render(request, "legal/library.html", context)


@dataclass(frozen=True)
class FieldConcerned:
    version: int
    code: str
    section: Any
    label: Any
    row: int | None
    is_basis_row: bool


def describe(entries: list[dict[str, Any]]) -> list[FieldConcerned]:
    sections = {s.code: s.label for s in REGISTRY.sections}
    described = []
    for entry in entries:
        field = REGISTRY.get(entry.get("code", ""))
        if field is None:  # a field since removed from the registry
            continue
        described.append(
            FieldConcerned(
                version=entry.get("version", 0),
                code=field.code,
                section=sections.get(field.section, field.section),
                label=field.label,
                row=entry.get("row"),
                is_basis_row=entry.get("group") == "legal_basis",
            )
        )
    return described


@login_required
@require_GET
def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    flag = flag_for_department(request.user, pk)
    return _render_flag(request, flag, DismissForm())


@login_required
@require_POST
def dismiss_flag(request: HttpRequest, pk: int) -> HttpResponse:
    flag = flag_for_department(request.user, pk)
    form = DismissForm(request.POST)
    if not may_dismiss(request.user, flag):
        return _render_flag(request, flag, form, status=403)
    if form.is_valid():
        try:
            dismiss(flag=flag, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The flag was dismissed."))
            return redirect("standards:home")
    return _render_flag(request, flag, form, status=400)


def _render_flag(
    request: HttpRequest, flag: LawChangeFlag, form: DismissForm, status: int = 200
) -> HttpResponse:
    context = {
        "flag": flag,
        "fields": describe(flag.fields),
        "form": form,
        "may_dismiss": may_dismiss(request.user, flag) and flag.state == LawChangeFlag.State.OPEN,
    }
    return render(request, "legal/flag.html", context, status=status)
