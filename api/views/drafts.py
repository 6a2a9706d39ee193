"""The write API: drafts of the caller's own department (token or session).

Access is decided as in the browser editor: a user who is not department
staff or leader gets 403 on every endpoint; a version of another department
is 404, whatever its state; changing a version outside the draft and
returned states is 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api import filters
from api.drafts import section_payload, update_section
from api.errors import ApiError, error
from api.serializers.drafts import (
    DraftDetailSerializer,
    DraftSectionSerializer,
    DraftSerializer,
    NewDraftSerializer,
    SectionUpdateSerializer,
)
from standards.access import department_of, version_for_editor, writable_versions
from standards.models import StandardVersion
from standards.registry import Section
from standards.services import workflow
from standards.services.drafting import DraftError, new_draft_from, start_standard
from standards.services.editing import registry_section
from standards.snapshot import snapshot
from standards.views.workspace import items_for

from .base import ApiViewMixin

ERRORS = OpenApiResponse(description='{"errors": [{"field", "row", "row_id", "message", "code"}]}')
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The section's ETag as read; 412 when the section changed since.",
)


class IsDepartmentMember(BasePermission):
    """Department staff and leaders only: they alone write standards."""

    message = gettext_lazy("Only department staff and leaders may use drafts.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return department_of(request.user) is not None


class DraftViewMixin(ApiViewMixin):
    permission_classes = [IsAuthenticated, IsDepartmentMember]


def _detail(request: Request, version: StandardVersion) -> dict[str, Any]:
    version.snapshot = snapshot(version)  # type: ignore[attr-defined]
    version.actions = workflow.available_actions(request.user, version)  # type: ignore[attr-defined]
    return dict(DraftDetailSerializer(version, context={"request": request}).data)


class DraftList(DraftViewMixin, generics.ListAPIView):
    serializer_class = DraftSerializer

    def get_queryset(self) -> QuerySet[StandardVersion]:
        versions = writable_versions(self.request.user).select_related(
            "standard__item", "standard__department"
        )
        state = filters.one_of(self.request, "state", StandardVersion.State.values)
        versions = versions.filter(state=state) if state else versions.open()
        return versions.order_by("standard__item__basic_code", "-number")

    @extend_schema(
        tags=["drafts"],
        summary="The department's versions in preparation (or in a given state)",
        parameters=[
            filters.parameter(
                "state",
                "Version state (default: every open state).",
                enum=StandardVersion.State.values,
            ),
            filters.LANG,
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["drafts"],
        summary="Start a draft: a new standard, or a new version of a published one",
        request=NewDraftSerializer,
        responses={201: DraftDetailSerializer, 400: ERRORS, 409: ERRORS},
        parameters=[filters.LANG],
    )
    def post(self, request: Request) -> Response:
        body = NewDraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        department = department_of(request.user)
        if department is None:  # the permission class has refused already
            raise PermissionDenied
        item = items_for(department).filter(basic_code=body.validated_data["item"]).first()
        if item is None:
            raise ValidationError({"item": [_("Your department does not implement this item.")]})
        number = body.validated_data.get("from_version")
        try:
            if number is None:
                draft = start_standard(item=item, user=request.user)
            else:
                source = (
                    writable_versions(request.user)
                    .filter(
                        standard__item=item, number=number, state=StandardVersion.State.PUBLISHED
                    )
                    .first()
                )
                if source is None:
                    raise ValidationError(
                        {"from_version": [_("This is not the published version of the standard.")]}
                    )
                draft = new_draft_from(version=source, user=request.user)
        except DraftError as refused:
            message = (
                _("This standard already exists; open it instead.")
                if number is None
                else _("A version of this standard is already being prepared.")
            )
            raise ApiError([error(message, "draft_exists")], status.HTTP_409_CONFLICT) from refused
        version = version_for_editor(request.user, draft.pk)
        headers = {"Location": reverse("api:draft", args=[draft.pk], request=request)}
        return Response(_detail(request, version), status=status.HTTP_201_CREATED, headers=headers)


class DraftDetail(DraftViewMixin, generics.GenericAPIView):
    serializer_class = DraftDetailSerializer

    @extend_schema(
        tags=["drafts"],
        summary="One version of the department, with its content",
        parameters=[filters.LANG],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(request, version_for_editor(request.user, pk)))


def _section(code: str) -> Section:
    try:
        return registry_section(code)
    except KeyError:
        raise Http404 from None


class DraftSection(DraftViewMixin, generics.GenericAPIView):
    serializer_class = DraftSectionSerializer

    @extend_schema(tags=["drafts"], summary="One section of a version", parameters=[filters.LANG])
    def get(self, request: Request, pk: int, section: str) -> Response:
        version = version_for_editor(request.user, pk)
        payload = section_payload(version, _section(section))
        return Response(payload, headers={"ETag": payload["etag"]})

    @extend_schema(
        tags=["drafts"],
        summary="Change one section, validated by the editor's forms",
        request=SectionUpdateSerializer,
        responses={
            200: DraftSectionSerializer,
            403: ERRORS,
            409: ERRORS,
            412: ERRORS,
            422: ERRORS,
            428: ERRORS,
        },
        parameters=[IF_MATCH, filters.LANG],
    )
    def patch(self, request: Request, pk: int, section: str) -> Response:
        registry_section_ = _section(section)
        version = update_section(
            user=request.user,
            pk=pk,
            section=registry_section_,
            body=request.data,
            if_match=request.headers.get("If-Match"),
        )
        payload = section_payload(version, registry_section_)
        return Response(payload, headers={"ETag": payload["etag"]})


class Submit(DraftViewMixin, generics.GenericAPIView):
    serializer_class = DraftDetailSerializer

    @extend_schema(
        tags=["drafts"],
        summary="Submit for filing review (blocking findings and missing fields stop it)",
        request=None,
        responses={200: DraftDetailSerializer, 403: ERRORS, 409: ERRORS, 422: ERRORS},
        parameters=[filters.LANG],
    )
    def post(self, request: Request, pk: int) -> Response:
        version = version_for_editor(request.user, pk)
        try:
            workflow.submit(version=version, user=request.user)
        except workflow.SubmissionBlocked as blocked:
            raise ApiError(_blocking(blocked), status.HTTP_422_UNPROCESSABLE_ENTITY) from None
        except workflow.TransitionForbidden:
            raise PermissionDenied from None
        except workflow.TransitionError as refused:
            raise ApiError([error(refused, "not_allowed")], status.HTTP_409_CONFLICT) from None
        return Response(_detail(request, version_for_editor(request.user, pk)))


def _blocking(blocked: workflow.SubmissionBlocked) -> list[dict[str, Any]]:
    found = [
        error(f.message, f.rule_id, field=code, group=f.group, row_id=f.row_id)
        for f in blocked.findings
        for code in (f.codes or (None,))
    ]
    found += [
        error(_("Fill in this field before submitting."), "required", field=code)
        for code in blocked.missing
    ]
    return found
