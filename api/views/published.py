"""Published standards: public, read only, from the immutable snapshots only."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from api import filters
from api.audience import FULL, PUBLIC, may_read_full, rendition
from api.serializers.published import PublishedSnapshotSerializer, PublishedVersionSerializer
from standards.models import PublishedSnapshot, Standard, StandardVersion
from standards.services.workflow import in_force

from .base import ApiViewMixin

RELATED = ("standard__item", "standard__department", "standard__region")

ON = OpenApiParameter(
    "on",
    OpenApiTypes.DATE,
    OpenApiParameter.QUERY,
    description="The date the version must be in force on (default: today).",
)


def published_versions() -> QuerySet[StandardVersion]:
    """Versions that were published (whatever happened since), without the snapshot data."""
    return (
        StandardVersion.objects.filter(published_snapshot__isnull=False)
        .select_related(*RELATED)
        .annotate(published_at=F("published_snapshot__published_at"))
    )


class PublishedList(ApiViewMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = PublishedVersionSerializer

    def get_queryset(self) -> QuerySet[StandardVersion]:
        versions = published_versions().filter(state=StandardVersion.State.PUBLISHED)
        if department := filters.text(self.request, "department"):
            versions = versions.filter(standard__department__code=department)
        if region := filters.text(self.request, "region"):
            versions = versions.filter(standard__region__code=region)
        if level := filters.level(self.request):
            versions = versions.filter(standard__region__level=level)
        if item_type := filters.item_type(self.request):
            versions = versions.filter(standard__item__item_type=item_type)
        if item := filters.text(self.request, "item"):
            versions = versions.filter(standard__item__basic_code=item)
        if since := filters.moment(self.request, "updated_since"):
            versions = versions.filter(published_snapshot__published_at__gte=since)
        return versions.order_by("standard__item__basic_code", "standard__department__code")

    @extend_schema(
        tags=["published standards"],
        summary="Published standards (the latest publication of each)",
        parameters=[
            filters.DEPARTMENT,
            filters.REGION,
            filters.LEVEL,
            filters.TYPE,
            filters.parameter("item", "Basic code of the approval item."),
            filters.UPDATED_SINCE,
            filters.LANG,
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def _standard(basic_code: str, department_code: str) -> Standard:
    standard = Standard.objects.filter(
        item__basic_code=basic_code, department__code=department_code
    ).first()
    if standard is None:
        raise Http404
    return standard


def _answer(request: Request, version: StandardVersion | None) -> Response:
    if version is None:
        raise Http404
    snapshot = PublishedSnapshot.objects.get(version=version)
    version = published_versions().get(pk=version.pk)
    audience = FULL if may_read_full(request.user, version) else PUBLIC
    version.audience = audience  # type: ignore[attr-defined]
    version.snapshot = rendition(snapshot.data, audience)  # type: ignore[attr-defined]
    version.snapshot_sha256 = snapshot.sha256 if audience == FULL else None  # type: ignore[attr-defined]
    return Response(PublishedSnapshotSerializer(version, context={"request": request}).data)


class InForce(ApiViewMixin, generics.GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = PublishedSnapshotSerializer

    @extend_schema(
        tags=["published standards"],
        summary="The version in force (today, or on a date)",
        parameters=[ON, filters.LANG],
    )
    def get(self, request: Request, basic_code: str, department_code: str) -> Response:
        on = filters.day(request, "on") or timezone.localdate()
        standard = _standard(basic_code, department_code)
        return _answer(request, in_force(standard.pk, on))


class PublishedVersions(ApiViewMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = PublishedVersionSerializer

    def get_queryset(self) -> QuerySet[StandardVersion]:
        standard = _standard(self.kwargs["basic_code"], self.kwargs["department_code"])
        return published_versions().filter(standard=standard).order_by("-number")

    @extend_schema(
        tags=["published standards"],
        summary="Every published version of a standard, newest first",
        parameters=[filters.LANG],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PublishedVersion(ApiViewMixin, generics.GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = PublishedSnapshotSerializer

    @extend_schema(
        tags=["published standards"], summary="One published version", parameters=[filters.LANG]
    )
    def get(self, request: Request, basic_code: str, department_code: str, number: int) -> Response:
        standard = _standard(basic_code, department_code)
        version = published_versions().filter(standard=standard, number=number).first()
        return _answer(request, version)
