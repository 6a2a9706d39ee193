"""The workbook import: upload and dry run, then confirm.

Only department staff and leaders, and only for items their department
implements (404 otherwise). The dry run writes nothing but the pending file;
the confirmation imports in one transaction or not at all.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from interchange import pending
from interchange.access import importable_item
from interchange.importing import import_workbook
from interchange.problems import ImportRefused
from interchange.workbook.reader import check_file, read_workbook
from standards.models import ApprovalItem, Standard

TEMPLATE = "interchange/import.html"


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _context(item: ApprovalItem, user: Any, **extra: Any) -> dict[str, Any]:
    standard = Standard.objects.filter(item=item, department=user.department).first()
    versions = list(standard.versions.all()[:1]) if standard else []
    return {"item": item, "latest": versions[0] if versions else None, **extra}


def _pk(request: HttpRequest) -> int:
    return int(request.user.pk or 0)  # login_required: always a saved user


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, basic_code: str) -> HttpResponse:
    item = importable_item(request.user, basic_code)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET" or not form.is_valid():
        status = 200 if request.method == "GET" else 422
        return render(request, TEMPLATE, _context(item, request.user, form=form), status=status)
    try:
        data = check_file(form.cleaned_data["workbook"])
        parsed = read_workbook(data)
        outcome = import_workbook(user=request.user, item=item, parsed=parsed, dry_run=True)
    except ImportRefused as refused:
        context = _context(item, request.user, form=UploadForm(), problems=refused.problems)
        return render(request, TEMPLATE, context, status=422)
    token = pending.store(data, user_pk=_pk(request), item_code=item.basic_code)
    context = _context(item, request.user, form=UploadForm(), outcome=outcome, token=token)
    return render(request, TEMPLATE, context)


@login_required
@require_POST
def confirm(request: HttpRequest, basic_code: str) -> HttpResponse:
    item = importable_item(request.user, basic_code)
    found = pending.load(
        request.POST.get("token", ""), user_pk=_pk(request), item_code=item.basic_code
    )
    if found is None:
        messages.error(request, _("The checked workbook has expired. Upload it again."))
        return redirect("interchange:import", basic_code=basic_code)
    name, data = found
    try:
        outcome = import_workbook(
            user=request.user, item=item, parsed=read_workbook(data), dry_run=False
        )
    except ImportRefused as refused:
        pending.discard(name)
        context = _context(item, request.user, form=UploadForm(), problems=refused.problems)
        return render(request, TEMPLATE, context, status=422)
    pending.discard(name)
    messages.success(
        request,
        _("The workbook was imported into version %(number)s.")
        % {"number": outcome.version_number},
    )
    return redirect("standards:version", pk=outcome.version_pk)
