"""The standard editor: one page per registry section, rows added by htmx."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from adoption.templatetags.adoption_tags import adoption_state
from standards.access import require_editable, version_for_editor
from standards.forms.content import formset_class_for
from standards.registry import REGISTRY, Section
from standards.rules import run_rules
from standards.services.editing import (
    EditConflict,
    SectionRefused,
    changes_since,
    registry_section,
    save_section,
)
from standards.services.workflow import available_actions
from standards.snapshot import snapshot

from .navigation import editor_navigation
from .section_page import SectionPage


def _section_or_404(code: str) -> Section:
    try:
        return registry_section(code)
    except KeyError:
        raise Http404 from None


@login_required
@require_GET
def version_home(request: HttpRequest, pk: int) -> HttpResponse:
    version_for_editor(request.user, pk)
    return redirect("standards:section", pk=pk, section=REGISTRY.sections[0].code)


@login_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    version = version_for_editor(request.user, pk)
    registry_section_ = _section_or_404(section)
    page = SectionPage(version, registry_section_)
    status = 200
    if request.method == "POST":
        require_editable(request.user, version)
        page.build(request.POST, request.FILES)
        page.base_token = request.POST.get("base", "")
        base_count = _int(request.POST.get("edit_count"))
        base_state = page.base_from(page.base_token)
        theirs = changes_since(version, registry_section_, base_count, base_state)
        if theirs is not None:
            # Checked before validation too, so a row someone removed is
            # reported as their change rather than as an invalid form.
            status = _show_conflict(page, theirs, version)
        elif page.is_valid():
            try:
                save_section(
                    user=request.user,
                    version_pk=version.pk,
                    section=registry_section_,
                    data=page.validated_input(),
                    base_count=base_count,
                    base_state=base_state,
                    uid_to_pk=page.uid_to_pk,
                )
            except EditConflict as conflict:
                status = _show_conflict(page, conflict.changes, conflict.current)
            except SectionRefused:
                status = 422  # the refusing check put its messages on the fields
            else:
                messages.success(request, _("Saved."))
                return redirect("standards:section", pk=pk, section=section)
        else:
            status = 422
    else:
        page.build()
    findings = run_rules(snapshot(version))
    page.annotate(findings)
    context = {
        "version": page.version,
        "page": page,
        "section": registry_section_,
        "navigation": editor_navigation(page.version, registry_section_, findings),
        "findings": findings,
        "editable": version.is_editable,
        "actions": available_actions(request.user, page.version),
    }
    return render(request, "standards/editor/section.html", context, status=status)


@login_required
@require_GET
def new_row(request: HttpRequest, pk: int, group: str) -> HttpResponse:
    """An empty row form for a repeating group, appended by htmx without a reload."""
    version = version_for_editor(request.user, pk)
    require_editable(request.user, version)
    registry_group = REGISTRY.groups.get(group)
    if registry_group is None or not registry_group.repeats:
        raise Http404
    index = _int(request.GET.get(f"{group}-TOTAL_FORMS"))
    section = _section_or_404(registry_group.section)
    page = SectionPage(version, section)
    formset = formset_class_for(group)(
        queryset=registry_group.model._default_manager.none(),
        prefix=group,
        form_kwargs={"ref_choices": page.ref_choices},
    )
    form = formset.form(
        prefix=formset.add_prefix(index),
        empty_permitted=True,
        use_required_attribute=False,
        **formset.get_form_kwargs(index),
    )
    formset.add_fields(form, index)
    context = {"form": form, "group": registry_group, "index": index, "total": index + 1}
    return render(request, "standards/editor/new_row.html", context)


@login_required
@require_GET
def row_body(request: HttpRequest, pk: int, group: str) -> HttpResponse:
    """The inputs of one folded row (`?row=` its id, `?index=` its place in the page's formset).

    A group with many rows is sent with its rows folded, each as hidden inputs
    of its stored values (`stored_values_as_hidden_inputs`): rendering every
    input of every row took seconds at 50 rows. Unfolding a row fetches its
    inputs from here, built by the same `SectionPage` as the whole page
    (choices, references, adoption locks, rule findings), so they are what a
    full page shows.
    Whoever may open the section may open its rows; nothing else.
    """
    version = version_for_editor(request.user, pk)
    registry_group = REGISTRY.groups.get(group)
    if registry_group is None or not registry_group.repeats:
        raise Http404
    row = _int(request.GET.get("row"))
    section = _section_or_404(registry_group.section)
    page = SectionPage(version, section).build(only_row=(group, row))
    formset = page.formsets[group]
    if not formset.forms:  # not a row of this version (or removed since the page was loaded)
        raise Http404
    (form,) = formset.forms
    adoption_state(page)  # marks inherited inputs read-only, as on the page
    page.annotate(run_rules(snapshot(version)))  # and the findings beside their inputs
    # Named as the page numbered it: rows added or removed since do not shift it.
    form.prefix = formset.add_prefix(_int(request.GET.get("index")))
    return render(request, "standards/editor/row_body.html", {"form": form})


def _show_conflict(page: SectionPage, changes: list[Any], current: Any) -> int:
    page.conflict = changes
    page.version = current
    page.refresh_base()
    return 409


def _int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0
