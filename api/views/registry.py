"""The field registry and its code lists: public, read only, served from memory."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from api import filters
from api.serializers.registry import (
    CodeListSerializer,
    FieldSerializer,
    SectionSerializer,
    codelist_data,
)
from standards.registry import REGISTRY, Audience, FieldType

from .base import ApiViewMixin


class FieldList(ApiViewMixin, generics.ListAPIView):
    """The 315 information fields, in registry order."""

    permission_classes = [AllowAny]
    serializer_class = FieldSerializer

    def get_queryset(self) -> Any:
        section = filters.one_of(self.request, "section", [s.code for s in REGISTRY.sections])
        group = filters.one_of(self.request, "group", list(REGISTRY.groups))
        audience = filters.one_of(self.request, "audience", [a.value for a in Audience])
        type_ = filters.one_of(self.request, "type", [t.value for t in FieldType])
        return [
            f
            for f in REGISTRY
            if (section is None or f.section == section)
            and (group is None or f.group == group)
            and (audience is None or f.audience == audience)
            and (type_ is None or f.type == type_)
        ]

    @extend_schema(
        tags=["registry"],
        summary="Registry fields",
        parameters=[
            filters.parameter("section", "Section code, e.g. E05."),
            filters.parameter("group", "Group name, e.g. material."),
            filters.parameter(
                "audience", "guide, manual or both.", enum=[a.value for a in Audience]
            ),
            filters.parameter("type", "Field type.", enum=[t.value for t in FieldType]),
            filters.LANG,
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class FieldDetail(ApiViewMixin, generics.GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = FieldSerializer

    @extend_schema(tags=["registry"], summary="One registry field", parameters=[filters.LANG])
    def get(self, request: Request, code: str) -> Response:
        field = REGISTRY.get(code)
        if field is None:
            raise Http404
        return Response(FieldSerializer(field).data)


class SectionList(ApiViewMixin, generics.GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = SectionSerializer
    pagination_class = None

    @extend_schema(
        tags=["registry"],
        summary="Sections and their groups",
        parameters=[filters.LANG],
        responses=SectionSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(SectionSerializer(REGISTRY.sections, many=True).data)


class CodeListList(ApiViewMixin, generics.GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = CodeListSerializer
    pagination_class = None

    @extend_schema(
        tags=["registry"],
        summary="Code lists",
        parameters=[filters.LANG],
        responses=CodeListSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response([codelist_data(c) for c in REGISTRY.codelists.values()])


class CodeListDetail(ApiViewMixin, generics.GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = CodeListSerializer

    @extend_schema(tags=["registry"], summary="One code list", parameters=[filters.LANG])
    def get(self, request: Request, name: str) -> Response:
        codelist = REGISTRY.codelists.get(name)
        if codelist is None:
            raise Http404
        return Response(codelist_data(codelist))
