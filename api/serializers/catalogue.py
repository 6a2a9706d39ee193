"""Regions, departments and approval items as the API shows them (public catalogue data)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from standards.models import ApprovalItem, Department, Region
from standards.registry import REGISTRY


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "name_en", "level", "parent"]


class DepartmentSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_level = serializers.CharField(source="region.level", read_only=True)

    class Meta:
        model = Department
        fields = ["code", "name", "name_en", "short_name", "region", "region_level", "kind"]


class ItemSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="basic_code", read_only=True, allow_null=True)
    item_type_label = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalItem
        fields = [
            "basic_code",
            "name",
            "common_name",
            "item_type",
            "item_type_label",
            "levels",
            "department",
            "parent",
        ]

    def get_item_type_label(self, item: Any) -> str:
        return str(REGISTRY.codelist("item_type").label_for(item.item_type))
