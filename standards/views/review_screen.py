"""The review screen: the submitted standard with findings and comments, and the decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from standards.forms.review import CommentForm, ReturnForm
from standards.models import ReviewComment, ReviewRound, StandardVersion
from standards.services import review as review_ops
from standards.services import workflow

from .review_access import version_for_review
from .review_display import anchor_id
from .review_page import REVIEW_ACTIONS, ReviewPage, review_page, row_choices


@login_required
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for_review(request.user, pk)
    page = review_page(version, request.user)
    anchor = {"field_code": request.GET.get("field", ""), "row_id": request.GET.get("row", "")}
    form = CommentForm(page.row_choices(), initial=anchor) if page.may_comment else None
    return _render(request, page, form)


@login_required
@require_POST
def add_comment(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for_review(request.user, pk)
    if not review_ops.may_comment(request.user, version):
        raise PermissionDenied
    form = CommentForm(row_choices(_submitted_content(version)), request.POST)
    if not form.is_valid():
        messages.error(request, _("The comment was not saved: correct what is marked below."))
        return _render(request, review_page(version, request.user), form, status=422)
    data = review_ops.CommentInput(**form.cleaned_data)
    try:
        review_ops.add_comment(version=version, user=request.user, data=data)
    except review_ops.ReviewRefused:
        raise PermissionDenied from None
    messages.success(request, _("Comment added."))
    return _back(pk, anchor_id(data.field_code, data.row_id))


@login_required
@require_POST
def delete_comment(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    version = version_for_review(request.user, pk)
    comment = get_object_or_404(ReviewComment, pk=comment_pk, review_round__version=version)
    try:
        review_ops.delete_comment(version=version, user=request.user, comment=comment)
    except review_ops.ReviewRefused:
        raise PermissionDenied from None
    messages.success(request, _("Comment deleted."))
    return _back(pk, anchor_id(comment.field_code, comment.row_id))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Start the review, return the filing for revision (with a note) or approve it."""
    if action not in REVIEW_ACTIONS:
        raise Http404
    version = version_for_review(request.user, pk)
    if version.state not in workflow.TRANSITIONS[action].sources:
        messages.error(
            request,
            _("This cannot be done while the version is “%(state)s”.")
            % {"state": version.get_state_display()},
        )
        return _back(pk)
    if not workflow.allowed(request.user, version, action):
        raise PermissionDenied
    try:
        _take(request, version, action)
    except workflow.TransitionForbidden:
        raise PermissionDenied from None
    except workflow.TransitionError as error:
        messages.error(request, str(error))
    return _back(pk)


def _take(request: HttpRequest, version: StandardVersion, action: str) -> None:
    user = request.user
    match action:
        case "start_review":
            workflow.start_review(version=version, user=user)
            messages.success(request, _("Review started. Comments can be written now."))
        case "return_for_revision":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("The note is too long; the filing was not returned."))
                return
            workflow.return_for_revision(
                version=version, user=user, reason=form.cleaned_data["note"]
            )
            messages.success(request, _("The filing was returned to the department for revision."))
        case "approve_filing":
            workflow.approve_filing(version=version, user=user)
            messages.success(request, _("The filing was approved."))


def _submitted_content(version: StandardVersion) -> dict[str, Any]:
    latest = review_ops.latest_round(version)
    return latest.submitted_content if latest else {}


def _render(
    request: HttpRequest, page: ReviewPage, form: CommentForm | None, status: int = 200
) -> HttpResponse:
    context = {
        "version": page.version,
        "page": page,
        "comment_form": form,
        "return_form": ReturnForm(),
        "outcomes": ReviewRound.Outcome,
    }
    return render(request, "standards/review/screen.html", context, status=status)


def _back(pk: int, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("standards:review", args=[pk])
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)
