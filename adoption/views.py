"""Pages of adoption: templates and adoptions, overrides, template changes, the drift report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oversight.csv_export import csv_response
from standards.access import department_of, roles_of
from standards.changes.values import RowNames, display
from standards.models import PublishedSnapshot, Standard, StandardVersion
from standards.registry import REGISTRY
from standards.roles import Role

from .access import adoptable_templates, adoption_for, local_department, provincial_department
from .forms import BulkAdoptForm, KeepForm, OverrideForm
from .models import Adoption, AdoptionBatch, ChangeItem, Override, Template, TemplateChange
from .services import drift
from .services.adopting import AdoptionError, adopt, mark_template
from .services.batch import start_batch
from .services.deciding import accept, accept_untouched, keep
from .services.locks import latest_published
from .services.overrides import add_override, withdraw_override


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Provincial departments: their standards and templates. Cities and counties: adoptions."""
    context: dict[str, Any] = {}
    province = provincial_department(request.user)
    local = local_department(request.user)
    if province is not None:
        context["templates"] = (
            Template.objects.filter(standard__department=province)
            .select_related("standard__item")
            .annotate(adopters=Count("adoptions"))
        )
        context["candidates"] = (
            Standard.objects.filter(
                department=province,
                versions__state=StandardVersion.State.PUBLISHED,
                template__isnull=True,
                item__levels__in=_template_level_values(),
            )
            .select_related("item")
            .distinct()
        )
    elif local is not None:
        context["adoptions"] = (
            Adoption.objects.filter(standard__department=local)
            .select_related(
                "standard__item", "template__standard__department", "adopted_template_version"
            )
            .annotate(
                pending=Count("changes", filter=Q(changes__state=TemplateChange.State.PENDING)),
                override_count=Count("overrides", distinct=True),
            )
        )
        choices = [
            (str(t.pk), f"{t.standard.item.name}（{t.standard.department.name}）")
            for t in adoptable_templates(local)
        ]
        context["bulk_form"] = BulkAdoptForm(choices=choices)
    elif not roles_of(request.user) & {Role.EDITORIAL_REVIEWER}:
        raise PermissionDenied
    context["province"], context["local"] = province, local
    return render(request, "adoption/home.html", context)


def _template_level_values() -> list[str]:
    from .models import TEMPLATE_LEVELS

    return [str(v) for v in TEMPLATE_LEVELS]


@login_required
@require_POST
def make_template(request: HttpRequest, standard_pk: int) -> HttpResponse:
    province = provincial_department(request.user)
    if province is None:
        raise PermissionDenied
    standard = get_object_or_404(
        Standard.objects.select_related("item"), pk=standard_pk, department=province
    )
    try:
        mark_template(standard=standard, user=request.user)
    except AdoptionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The standard is now a template."))
    return redirect("adoption:home")


@login_required
@require_POST
def adopt_one(request: HttpRequest, template_pk: int) -> HttpResponse:
    local = local_department(request.user)
    if local is None:
        raise PermissionDenied
    template = get_object_or_404(adoptable_templates(local), pk=template_pk)
    try:
        adoption = adopt(template=template, user=request.user)
    except AdoptionError as error:
        messages.error(request, str(error))
        return redirect("adoption:home")
    messages.success(request, _("Adopted. Your draft holds the template's content."))
    return redirect("adoption:detail", pk=adoption.pk)


@login_required
@require_POST
def adopt_many(request: HttpRequest) -> HttpResponse:
    local = local_department(request.user)
    if local is None:
        raise PermissionDenied
    choices = [(str(t.pk), str(t.pk)) for t in adoptable_templates(local)]
    form = BulkAdoptForm(request.POST, choices=choices)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for e in form.errors.get("templates", [])))
        return redirect("adoption:home")
    batch = start_batch(
        user=request.user, template_ids=[int(v) for v in form.cleaned_data["templates"]]
    )
    return redirect("adoption:batch", pk=batch.pk)


def _batch_for(request: HttpRequest, pk: int) -> AdoptionBatch:
    department = department_of(request.user)
    if department is None:
        raise Http404
    return get_object_or_404(AdoptionBatch, pk=pk, department=department)


@login_required
@require_GET
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "adoption/batch.html", {"batch": _batch_for(request, pk)})


@login_required
@require_GET
def batch_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by the batch page (static/adoption/batch.js)."""
    found = _batch_for(request, pk)
    return JsonResponse(
        {
            "state": found.state,
            "done": found.done,
            "total": found.total,
            "percent": found.percent,
            "problems": found.problems,
        }
    )


def _template_content(adoption: Adoption) -> dict[str, Any]:
    latest = latest_published(adoption.template.standard_id) or adoption.adopted_template_version
    return PublishedSnapshot.objects.get(version=latest).data["content"]


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One adoption: its overrides (with the form to add one) and pending template changes."""
    adoption = adoption_for(request.user, pk)
    content = _template_content(adoption)
    form = OverrideForm(request.POST or None, template_content=content)
    status = 200
    if request.method == "POST":
        if local_department(request.user) is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                add_override(
                    adoption=adoption,
                    field_code=form.cleaned_data["field_code"],
                    row_uid=form.cleaned_data["row_uid"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except AdoptionError as error:
                form.add_error("field_code", str(error))
            else:
                messages.success(request, _("Override recorded; the field can now be edited."))
                return redirect("adoption:detail", pk=pk)
        status = 422
    names = RowNames.of(content)
    overrides = [
        {
            "override": o,
            "field": drift.field_label(o.field_code),
            "row": names.name(_group_of_row(content, o.row_uid), o.row_uid) if o.row_uid else "",
        }
        for o in Override.objects.filter(adoption=adoption).select_related("created_by")
    ]
    context = {
        "adoption": adoption,
        "form": form,
        "overrides": overrides,
        "changes": TemplateChange.objects.filter(adoption=adoption)
        .select_related("from_version", "to_version")
        .annotate(open_items=Count("items", filter=Q(items__decision="pending"))),
        "versions": StandardVersion.objects.filter(standard_id=adoption.standard_id).order_by(
            "-number"
        ),
    }
    return render(request, "adoption/detail.html", context, status=status)


def _group_of_row(content: dict[str, Any], row_uid: str) -> str:
    for name, rows in content.items():
        if isinstance(rows, list) and any(str(r["row_id"]) == row_uid for r in rows):
            return name
    return ""


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int, override_pk: int) -> HttpResponse:
    adoption = adoption_for(request.user, pk)
    override = get_object_or_404(Override, pk=override_pk, adoption=adoption)
    try:
        withdraw_override(override=override, user=request.user)
    except AdoptionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The field inherits the template again (in your draft)."))
    return redirect("adoption:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    """The comparison of a template change, with accept / keep per item and bulk accept."""
    adoption = adoption_for(request.user, pk)
    found = get_object_or_404(
        TemplateChange.objects.select_related("from_version", "to_version"),
        pk=change_pk,
        adoption=adoption,
    )
    keep_form = KeepForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        ids = [int(v) for v in request.POST.getlist("item") if v.isdigit()]
        try:
            if action == "accept":
                done = accept(change=found, item_ids=ids, user=request.user)
            elif action == "accept_untouched":
                done = accept_untouched(change=found, user=request.user)
            elif action == "keep":
                keep_form = KeepForm(request.POST)
                if not keep_form.is_valid():
                    raise AdoptionError("")
                done = keep(
                    change=found,
                    item_ids=ids,
                    user=request.user,
                    reason=keep_form.cleaned_data["reason"],
                )
            else:
                raise AdoptionError(_("Choose what to do."))
        except AdoptionError as error:
            if str(error):
                messages.error(request, str(error))
            status = 422
        else:
            messages.success(request, _("%(count)s change(s) decided.") % {"count": done})
            return redirect("adoption:change", pk=pk, change_pk=change_pk)
    items = list(found.items.select_related("decided_by"))
    names = RowNames.of(
        *(i.before or {} for i in items if isinstance(i.before, dict)),
        *(i.after or {} for i in items if isinstance(i.after, dict)),
    )
    rows = [_item_view(i, names) for i in items]
    context = {
        "adoption": adoption,
        "change": found,
        "rows": rows,
        "keep_form": keep_form,
        "untouched": sum(1 for i in items if i.untouched and i.decision == "pending"),
    }
    return render(request, "adoption/change.html", context, status=status)


def _item_view(item: ChangeItem, names: RowNames) -> dict[str, Any]:
    group = REGISTRY.group(item.group)
    label = str(group.model._meta.verbose_name)
    if item.field_code:
        field = REGISTRY[item.field_code]
        return {
            "item": item,
            "where": f"{label} · {field.code} {field.label}",
            "before": display(field, item.before, names),
            "after": display(field, item.after, names),
            "local": display(field, item.local, names),
        }
    from standards.changes.values import row_name

    def named(row: Any) -> str:
        return row_name(group, row) if isinstance(row, dict) else _("(none)")

    return {
        "item": item,
        "where": f"{label} · {item.get_kind_display()}",
        "before": named(item.before),
        "after": named(item.after),
        "local": named(item.local),
    }


def _drift_scope(request: HttpRequest) -> Q:
    if roles_of(request.user) & {Role.EDITORIAL_REVIEWER, Role.ADMINISTRATOR}:
        return Q()
    province = provincial_department(request.user)
    if province is not None:
        return Q(adoption__template__standard__department=province)
    local = local_department(request.user)
    if local is not None:
        return Q(adoption__standard__department=local)
    raise PermissionDenied


@login_required
@require_GET
def drift_report(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "template")
    sort = sort if sort in drift.SORTS else "template"
    descending = request.GET.get("dir") == "desc"
    rows = drift.drift_rows(sort, descending=descending, scope=_drift_scope(request))
    if request.GET.get("format") == "csv":
        return csv_response("drift.csv", drift.CSV_HEADERS, drift.csv_rows(rows))
    context = {"rows": rows, "sort": sort, "descending": descending, "sorts": list(drift.SORTS)}
    return render(request, "adoption/drift.html", context)
