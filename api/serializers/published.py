"""Published standards: list entries and the snapshot of one version."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from standards.models import StandardVersion


class NamedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ItemRefSerializer(serializers.Serializer):
    basic_code = serializers.CharField()
    name = serializers.CharField()
    item_type = serializers.CharField()


class RegionRefSerializer(NamedSerializer):
    level = serializers.CharField()


class PublishedVersionSerializer(serializers.ModelSerializer):
    """A published version's place in time; the content is read at its own address."""

    item = ItemRefSerializer(source="standard.item", read_only=True)
    department = NamedSerializer(source="standard.department", read_only=True)
    region = RegionRefSerializer(source="standard.region", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    published_at = serializers.DateTimeField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = StandardVersion
        fields = [
            "item",
            "department",
            "region",
            "version",
            "state",
            "effective_from",
            "effective_to",
            "published_at",
            "url",
        ]

    def get_url(self, version: Any) -> str:
        standard = version.standard
        return reverse(
            "api:published-version",
            args=[standard.item.basic_code, standard.department.code, version.number],
            request=self.context.get("request"),
        )


@extend_schema_field(OpenApiTypes.OBJECT)
class SnapshotField(serializers.DictField):
    """A snapshot (schema_version, standard, content keyed by registry group and field code)."""


class PublishedSnapshotSerializer(PublishedVersionSerializer):
    audience = serializers.ChoiceField(
        choices=["public", "full"],
        read_only=True,
        help_text="public: service-guide fields only; full: every field (the owning "
        "department and the reviewers of its region).",
    )
    snapshot_sha256 = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="SHA-256 of the stored snapshot's canonical JSON (full rendition only).",
    )
    snapshot = SnapshotField(read_only=True)

    class Meta(PublishedVersionSerializer.Meta):
        fields = [
            *PublishedVersionSerializer.Meta.fields,
            "audience",
            "snapshot_sha256",
            "snapshot",
        ]
