"""The staff workspace: the department's items and standards, starting drafts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from standards.access import department_of, roles_of, writable_versions
from standards.models import ApprovalItem, Department, Standard, StandardVersion
from standards.registry import REGISTRY
from standards.roles import Role
from standards.services.drafting import DraftError, new_draft_from, start_standard

PAGE_SIZE = 50


def _department_or_403(request: HttpRequest) -> Department:
    department = department_of(request.user)
    if department is None:
        raise PermissionDenied
    return department


def items_for(department: Department) -> QuerySet[ApprovalItem]:
    """Catalogue items this department implements.

    A provincial department implements the items it governs. A city or county
    department implements its provincial counterpart's items (same code after
    the region, e.g. 440605-scjgj ↔ 440000-scjgj) that are exercised at its level.
    """
    if department.region.level == "province":
        return ApprovalItem.objects.filter(department=department)
    suffix = department.code.split("-", 1)[-1]
    return ApprovalItem.objects.exercised_at(department.region.level).filter(
        department__code__endswith=f"-{suffix}", department__region__level="province"
    )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if department_of(request.user) is None and Role.EDITORIAL_REVIEWER in roles_of(request.user):
        # Reviewers land here after signing in; their work is the review queue.
        return redirect("standards:review_queue")
    department = _department_or_403(request)
    state = request.GET.get("state", "")
    item_type = request.GET.get("item_type", "")
    level = request.GET.get("level", "")
    query = (request.GET.get("q") or "").strip()[:50]

    versions = StandardVersion.objects.select_related("last_edited_by").order_by("-number")
    standards = (
        Standard.objects.filter(department=department)
        .select_related("item", "region")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("item__basic_code")
    )
    if state:
        standards = standards.filter(versions__state=state).distinct()
    if item_type:
        standards = standards.filter(item__item_type=item_type)
    if level:
        standards = standards.filter(item__levels=level)
    if query:
        standards = standards.filter(
            Q(item__name__contains=query) | Q(item__basic_code__contains=query)
        )

    without = items_for(department).exclude(standards__department=department).order_by("basic_code")
    if item_type:
        without = without.filter(item_type=item_type)
    if level:
        without = without.filter(levels=level)
    if query:
        without = without.filter(Q(name__contains=query) | Q(basic_code__contains=query))

    page = Paginator(standards, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(standard, list(standard.versions.all())) for standard in page.object_list]
    context = {
        "department": department,
        "page": page,
        "rows": rows,
        "items_without": without[:PAGE_SIZE] if not state else [],
        "states": StandardVersion.State.choices,
        "item_types": REGISTRY.codelist("item_type").choices(),
        "levels": ApprovalItem.Levels.choices,
        "filters": {"state": state, "item_type": item_type, "level": level, "q": query},
        "filter_query": urlencode(
            {"state": state, "item_type": item_type, "level": level, "q": query}
        ),
    }
    return render(request, "standards/workspace/home.html", context)


@login_required
@require_GET
def item_detail(request: HttpRequest, basic_code: str) -> HttpResponse:
    department = _department_or_403(request)
    item = get_object_or_404(
        ApprovalItem.objects.select_related("department", "parent"), basic_code=basic_code
    )
    standard = (
        Standard.objects.filter(item=item, department=department)
        .prefetch_related(
            Prefetch("versions", queryset=StandardVersion.objects.select_related("last_edited_by"))
        )
        .first()
    )
    context = {
        "item": item,
        "standard": standard,
        "versions": list(standard.versions.all()) if standard else [],
        "sub_items": list(item.sub_items.all()),
        "may_start": standard is None and items_for(department).filter(pk=item.pk).exists(),
    }
    return render(request, "standards/workspace/item.html", context)


@login_required
@require_POST
def start(request: HttpRequest, basic_code: str) -> HttpResponse:
    department = _department_or_403(request)
    item = items_for(department).filter(basic_code=basic_code).first()
    if item is None:
        raise Http404
    try:
        version = start_standard(item=item, user=request.user)
    except DraftError:
        messages.error(request, _("This standard already exists; open it instead."))
        return redirect("standards:item", basic_code=basic_code)
    messages.success(request, _("A new standard was started as a draft."))
    return redirect("standards:version", pk=version.pk)


@login_required
@require_POST
def new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """'Edit' on a published standard: a new draft copying every row of it."""
    version = writable_versions(request.user).filter(pk=pk).select_related("standard").first()
    if version is None:
        raise Http404
    if version.state != StandardVersion.State.PUBLISHED:
        raise PermissionDenied
    try:
        draft = new_draft_from(version=version, user=request.user)
    except DraftError:
        messages.error(request, _("A version of this standard is already being prepared."))
        return redirect("standards:item", basic_code=version.standard.item.basic_code)
    messages.success(
        request,
        _("Version %(number)s was created from the published version.") % {"number": draft.number},
    )
    return redirect("standards:version", pk=draft.pk)
