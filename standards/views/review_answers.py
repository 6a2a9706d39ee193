"""The department answers the comments of the round that returned its version.

Each comment shows where it is anchored, what changed in that field since the
round was submitted, a link into the editor, and an answer form: fixed, or
not changed with an explanation. Answers are taken while the version is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from standards.diff import diff_content
from standards.forms.review import AnswerForm
from standards.models import ReviewComment, ReviewRound, StandardVersion
from standards.registry import REGISTRY
from standards.registry import Field as RegistryField
from standards.services import review as review_ops
from standards.snapshot import snapshot

from .review_access import version_for_answers
from .review_display import ChangeLine, Content, change_lines, changes_at, row_index, row_name


@dataclass
class AnswerItem:
    comment: ReviewComment
    field: RegistryField | None
    row: str
    editor_url: str
    changes: list[ChangeLine]
    form: AnswerForm | None

    @property
    def anchor(self) -> str:
        return f"c-{self.comment.pk}"


@dataclass
class AnswersPage:
    version: StandardVersion
    round: ReviewRound | None
    items: list[AnswerItem]
    may_answer: bool
    note: str = ""

    @property
    def unanswered(self) -> int:
        return sum(1 for item in self.items if not item.comment.answered)


def answers_page(
    version: StandardVersion, user: Any, bound: dict[int, AnswerForm] | None = None
) -> AnswersPage:
    round_ = review_ops.latest_returned_round(version)
    if round_ is None:
        return AnswersPage(version, None, [], may_answer=False)
    comments = list(round_.comments.select_related("author", "answered_by"))
    current = snapshot(version)["content"]
    groups = {REGISTRY[c.field_code].group for c in comments if c.field_code in REGISTRY}
    changes = diff_content(round_.submitted_content, current, [REGISTRY.group(g) for g in groups])
    can_answer = review_ops.may_answer(user, version)
    items = []
    for comment in comments:
        field_ = REGISTRY.get(comment.field_code)
        found = changes_at(changes, comment.field_code, comment.row_id)
        form = ((bound or {}).get(comment.pk) or _form(comment)) if can_answer else None
        items.append(
            AnswerItem(
                comment=comment,
                field=field_,
                row=_row(field_, comment.row_id, current, round_.submitted_content),
                editor_url=_editor_url(version, field_, comment.row_id, current),
                changes=change_lines(found, round_.submitted_content, current),
                form=form,
            )
        )
    returned = version.transitions.filter(action="return_for_revision").order_by("-at", "-id")
    note = returned.values_list("reason", flat=True).first() or ""
    return AnswersPage(version, round_, items, may_answer=can_answer, note=note)


def _form(comment: ReviewComment) -> AnswerForm:
    initial = {"answer": comment.answer, "answer_text": comment.answer_text}
    return AnswerForm(initial=initial, prefix=f"comment-{comment.pk}")


def _row(field_: RegistryField | None, row_id: str, current: Content, submitted: Content) -> str:
    if field_ is None or not row_id:
        return ""
    in_current = row_index(current, field_.group, row_id) is not None
    return row_name(current if in_current else submitted, field_.group, row_id)


def _editor_url(
    version: StandardVersion, field_: RegistryField | None, row_id: str, current: Content
) -> str:
    """The editor section of the field, scrolled to its input when it is still there."""
    if field_ is None:
        return reverse("standards:version", args=[version.pk])
    url = reverse("standards:section", args=[version.pk, field_.section])
    if not field_.repeats:
        return f"{url}#div_id_{field_.group}-{field_.attribute}"
    index = row_index(current, field_.group, row_id)
    if index is None:
        return f"{url}#group-{field_.group}"
    return f"{url}#div_id_{field_.group}-{index}-{field_.attribute}"


@login_required
@require_GET
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for_answers(request.user, pk)
    return _render(request, answers_page(version, request.user))


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    version = version_for_answers(request.user, pk)
    round_ = review_ops.latest_returned_round(version)
    comment = round_.comments.filter(pk=comment_pk).first() if round_ else None
    if comment is None:
        raise Http404
    if not review_ops.may_answer(request.user, version):
        raise PermissionDenied
    form = AnswerForm(request.POST, prefix=f"comment-{comment.pk}")
    if not form.is_valid():
        messages.error(request, _("The answer was not saved: correct what is marked below."))
        page = answers_page(version, request.user, bound={comment.pk: form})
        return _render(request, page, status=422)
    try:
        review_ops.answer_comment(
            version=version,
            user=request.user,
            comment=comment,
            answer=form.cleaned_data["answer"],
            text=form.cleaned_data["answer_text"],
        )
    except review_ops.ReviewRefused:
        raise PermissionDenied from None
    messages.success(request, _("Answer saved."))
    url = reverse("standards:comments", args=[pk])
    return HttpResponseRedirect(f"{url}#c-{comment.pk}")


def _render(request: HttpRequest, page: AnswersPage, status: int = 200) -> HttpResponse:
    context = {"version": page.version, "page": page}
    return render(request, "standards/review/answers.html", context, status=status)
