"""The admin site, scoped like the rest of the application (ADR 15).

Every demo user may open the admin (`is_staff`), and the role groups carry
model permissions, so without this a department's staff could read — and
delete — any department's standards there. For anyone but a superuser the
standards' admin pages are therefore read-only and list only the objects the
workspace would show them: their own department's (department roles) or the
submitted versions of the regions they review (reviewers). Changes go through
the editor and the workflow services, which keep the rules, the review trail
and the lost-update protection.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import unquote
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from .access import department_of
from .models import ReviewRound
from .views.review_access import is_reviewer, reviewed_scope


class DepartmentScopedAdmin:
    """Mixin for ModelAdmins of department-owned objects.

    `department_path` leads from the model to its Department, e.g.
    "standard__department"; `rounds_match` pairs a ReviewRound lookup with the
    model's field it must equal (a reviewer sees only what was submitted).
    """

    department_path = "department"
    rounds_match = ("version__standard", "pk")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        user: Any = request.user
        if user.is_superuser:
            return queryset
        department = department_of(user)
        if department is not None:
            return queryset.filter(**{self.department_path: department})
        if is_reviewer(user):
            region_path = self.department_path.replace("department", "region")
            scope = reviewed_scope(user, region_path)
            lookup, outer = self.rounds_match
            rounds = ReviewRound.objects.filter(**{lookup: OuterRef(outer)})
            return queryset.filter(scope, Exists(rounds))
        return queryset.none()

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # django-simple-history fetches the object without get_queryset: check the scope here.
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return bool(request.user.is_superuser) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)  # type: ignore[misc]
