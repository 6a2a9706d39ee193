"""Drafts of the caller's department, and the bodies the write API accepts."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from standards.models import StandardVersion
from standards.registry import REGISTRY

from .published import ItemRefSerializer, NamedSerializer, SnapshotField


class DraftSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    item = ItemRefSerializer(source="standard.item", read_only=True)
    department = NamedSerializer(source="standard.department", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    editable = serializers.BooleanField(source="is_editable", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = StandardVersion
        fields = [
            "id",
            "item",
            "department",
            "version",
            "state",
            "editable",
            "edit_count",
            "completeness_percent",
            "updated_at",
            "url",
        ]

    def get_url(self, version: Any) -> str:
        return reverse("api:draft", args=[version.pk], request=self.context.get("request"))


class SectionLinkSerializer(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.CharField()


class DraftDetailSerializer(DraftSerializer):
    completeness = serializers.JSONField(read_only=True)
    actions = serializers.ListField(child=serializers.CharField(), read_only=True)
    sections = serializers.SerializerMethodField()
    snapshot = SnapshotField(read_only=True)

    class Meta(DraftSerializer.Meta):
        fields = [*DraftSerializer.Meta.fields, "completeness", "actions", "sections", "snapshot"]

    @extend_schema_field(SectionLinkSerializer(many=True))
    def get_sections(self, version: Any) -> list[dict[str, str]]:
        request = self.context.get("request")
        return [
            {
                "code": s.code,
                "url": reverse("api:draft-section", args=[version.pk, s.code], request=request),
            }
            for s in REGISTRY.sections
        ]


class NewDraftSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=12, help_text="Basic code of the approval item.")
    from_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="Copy this published version of the department's standard into a new draft; "
        "leave out to start the standard with an empty draft.",
    )


@extend_schema_field(OpenApiTypes.OBJECT)
class ContentField(serializers.DictField):
    """Content of one section keyed by group name, values keyed by registry field code."""


class DraftSectionSerializer(serializers.Serializer):
    draft = serializers.IntegerField()
    section = serializers.CharField()
    edit_count = serializers.IntegerField()
    base = serializers.CharField(help_text="Signed copy of the section as read (send it back).")
    etag = serializers.CharField(help_text="The section's entity tag (also the ETag header).")
    content = ContentField()


class SectionUpdateSerializer(serializers.Serializer):
    """Documented shape of a section update; the body is read by api.section_input."""

    content = ContentField(
        help_text="Groups of the section. Fields left out keep their value; a repeating group "
        "sent replaces its rows (rows with row_id update, rows without are added, stored rows "
        "left out are removed)."
    )
    base = serializers.CharField(
        required=False, help_text="The base token read with the section (instead of If-Match)."
    )
    edit_count = serializers.IntegerField(
        required=False, min_value=0, help_text="The edit_count read with the base token."
    )
