"""The catalogue (regions, departments, approval items): public, read only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import AllowAny

from api import filters
from api.serializers.catalogue import DepartmentSerializer, ItemSerializer, RegionSerializer
from standards.models import ApprovalItem, Department, Region

from .base import ApiViewMixin


@extend_schema_view(
    get=extend_schema(
        tags=["catalogue"],
        summary="Regions",
        parameters=[
            filters.LEVEL,
            filters.parameter("parent", "Parent region code."),
            filters.LANG,
        ],
    )
)
class RegionList(ApiViewMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = RegionSerializer

    def get_queryset(self) -> QuerySet[Region]:
        regions = Region.objects.select_related("parent").order_by("code")
        if level := filters.level(self.request):
            regions = regions.filter(level=level)
        if parent := filters.text(self.request, "parent"):
            regions = regions.filter(parent__code=parent)
        return regions


@extend_schema_view(
    get=extend_schema(tags=["catalogue"], summary="One region", parameters=[filters.LANG])
)
class RegionDetail(ApiViewMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = RegionSerializer
    queryset = Region.objects.select_related("parent")
    lookup_field = "code"


@extend_schema_view(
    get=extend_schema(
        tags=["catalogue"],
        summary="Departments",
        parameters=[
            filters.REGION,
            filters.LEVEL,
            filters.parameter("kind", "Kind of department.", enum=Department.Kind.values),
            filters.LANG,
        ],
    )
)
class DepartmentList(ApiViewMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = DepartmentSerializer

    def get_queryset(self) -> QuerySet[Department]:
        departments = Department.objects.select_related("region").order_by("region__code", "code")
        if region := filters.text(self.request, "region"):
            departments = departments.filter(region__code=region)
        if level := filters.level(self.request):
            departments = departments.filter(region__level=level)
        if kind := filters.one_of(self.request, "kind", Department.Kind.values):
            departments = departments.filter(kind=kind)
        return departments


@extend_schema_view(
    get=extend_schema(tags=["catalogue"], summary="One department", parameters=[filters.LANG])
)
class DepartmentDetail(ApiViewMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = DepartmentSerializer
    queryset = Department.objects.select_related("region")
    lookup_field = "code"


@extend_schema_view(
    get=extend_schema(
        tags=["catalogue"],
        summary="Approval items",
        description="`department` is the competent (provincial) department; `level` keeps the "
        "items exercised at that level.",
        parameters=[filters.DEPARTMENT, filters.LEVEL, filters.TYPE, filters.LANG],
    )
)
class ItemList(ApiViewMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ItemSerializer

    def get_queryset(self) -> QuerySet[ApprovalItem]:
        items: Any = ApprovalItem.objects.select_related("department", "parent")
        if level := filters.level(self.request):
            items = items.exercised_at(level)
        if department := filters.text(self.request, "department"):
            items = items.filter(department__code=department)
        if item_type := filters.item_type(self.request):
            items = items.filter(item_type=item_type)
        return items.order_by("basic_code")


@extend_schema_view(
    get=extend_schema(tags=["catalogue"], summary="One approval item", parameters=[filters.LANG])
)
class ItemDetail(ApiViewMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = ItemSerializer
    queryset = ApprovalItem.objects.select_related("department", "parent")
    lookup_field = "basic_code"
