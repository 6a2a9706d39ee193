"""The field registry and its code lists, read from memory (no database)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from standards.registry import Audience, FieldType, Stage


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    label = serializers.CharField(help_text="The label in the response language.")


class CodeListSerializer(serializers.Serializer):
    name = serializers.CharField()
    codes = CodeSerializer(many=True)


class FieldSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Registry code, e.g. E05.07.")
    section = serializers.CharField()
    group = serializers.CharField()
    repeats = serializers.BooleanField(help_text="Whether the group has rows.")
    name = serializers.CharField(help_text="The attribute name of the field in its group.")
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    label = serializers.CharField(help_text="The label in the response language.")
    type = serializers.ChoiceField(choices=[t.value for t in FieldType])
    codelist = serializers.CharField(allow_blank=True)
    ref_group = serializers.CharField(allow_blank=True)
    required = serializers.ChoiceField(choices=[s.value for s in Stage])
    required_when = serializers.CharField(allow_null=True)
    audience = serializers.ChoiceField(
        choices=[a.value for a in Audience],
        help_text="guide: service guide (public); manual: business manual (internal); both.",
    )
    help = serializers.CharField(allow_blank=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {
            "code": instance.code,
            "section": instance.section,
            "group": instance.group,
            "repeats": instance.repeats,
            "name": instance.name,
            "label_zh": instance.label_zh,
            "label_en": instance.label_en,
            "label": str(instance.label),
            "type": instance.type.value,
            "codelist": instance.codelist,
            "ref_group": instance.ref_group,
            "required": instance.required.value,
            "required_when": instance.required_when.source if instance.required_when else None,
            "audience": instance.audience.value,
            "help": str(instance.help),
        }


class GroupSerializer(serializers.Serializer):
    name = serializers.CharField()
    repeats = serializers.BooleanField()
    fields = serializers.ListField(child=serializers.CharField(), help_text="Field codes.")


class SectionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    label = serializers.CharField()
    groups = GroupSerializer(many=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {
            "code": instance.code,
            "label_zh": instance.label_zh,
            "label_en": instance.label_en,
            "label": str(instance.label),
            "groups": [
                {"name": g.name, "repeats": g.repeats, "fields": [f.code for f in g.fields]}
                for g in instance.groups
            ],
        }


def codelist_data(codelist: Any) -> dict[str, Any]:
    return {
        "name": codelist.name,
        "codes": [
            {"code": c.code, "label_zh": c.label_zh, "label_en": c.label_en, "label": str(c.label)}
            for c in codelist
        ],
    }
