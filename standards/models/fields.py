"""Model fields built from the field registry.

`registered("E05.07")` returns the Django field that holds registry field
E05.07: its type, code list, label and limits come from the registry, so a
model states only which registry field an attribute holds.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from standards.registry import REGISTRY, FieldType
from standards.registry.catalogue import TEXT_MAX_LENGTH
from standards.uploads import generated_name, validate_upload

# Landlines carry their area code (0757-86339000, extension after 转); mobile
# numbers and the 5-digit government hotlines (12345, 12315) stand alone.
PHONE_PATTERN = r"^(0\d{2,3}-\d{5,8}(转\d{1,6})?|1[3-9]\d{9}|123\d{2})$"
phone_validator = RegexValidator(
    PHONE_PATTERN,
    _("Enter a phone number with its area code, e.g. 0757-86339000, or a hotline such as 12345."),
    code="invalid_phone",
)

COUNT_MAXIMUM = 9999


def content_upload_path(instance: models.Model, filename: str) -> str:
    """A generated name: the user's file name never reaches the file system."""
    return f"standards/content/{generated_name(filename).rsplit('/', 1)[-1]}"


class CodeField(models.CharField):
    """A single code from a registry code list."""

    def __init__(self, *args: Any, codelist: str, **kwargs: Any) -> None:
        self.codelist = codelist
        kwargs["choices"] = REGISTRY.codelist(codelist).choices()
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        kwargs["codelist"] = self.codelist
        return name, path, args, kwargs


class MultiCodeField(models.JSONField):
    """Several codes from one registry code list, stored as a list in code-list order."""

    def __init__(self, *args: Any, codelist: str, **kwargs: Any) -> None:
        self.codelist = codelist
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["codelist"] = self.codelist
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if not isinstance(value, list):
            raise ValidationError(_("Choose from the list."), code="invalid_multichoice")
        known = REGISTRY.codelist(self.codelist)
        unknown = [code for code in value if code not in known]
        if unknown:
            raise ValidationError(
                _("%(codes)s is not a valid choice."),
                code="invalid_choice",
                params={"codes": ", ".join(map(str, unknown))},
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("A choice is repeated."), code="repeated_choice")

    def formfield(self, **kwargs: Any) -> Any:
        options: dict[str, Any] = {
            "choices": REGISTRY.codelist(self.codelist).choices(),
            "required": not self.blank,
            "label": self.verbose_name,
            "widget": forms.CheckboxSelectMultiple,
        }
        options.update(
            {k: v for k, v in kwargs.items() if k in ("initial", "help_text", "label", "widget")}
        )
        return forms.TypedMultipleChoiceField(**options)


def registered(code: str) -> Any:
    """The Django model field for registry field `code`."""
    field = REGISTRY[code]
    common: dict[str, Any] = {"verbose_name": field.label}
    match field.type:
        case FieldType.TEXT:
            return models.CharField(max_length=TEXT_MAX_LENGTH, blank=True, **common)
        case FieldType.LONGTEXT:
            return models.TextField(blank=True, **common)
        case FieldType.CHOICE:
            return CodeField(codelist=field.codelist, **common)
        case FieldType.MULTICHOICE:
            return MultiCodeField(codelist=field.codelist, **common)
        case FieldType.BOOLEAN:
            return models.BooleanField(null=True, blank=True, **common)
        case FieldType.INTEGER | FieldType.DURATION:
            return models.PositiveIntegerField(
                null=True, blank=True, validators=[MaxValueValidator(COUNT_MAXIMUM)], **common
            )
        case FieldType.DATE:
            return models.DateField(null=True, blank=True, **common)
        case FieldType.URL:
            return models.URLField(max_length=500, blank=True, **common)
        case FieldType.EMAIL:
            return models.EmailField(blank=True, **common)
        case FieldType.PHONE:
            return models.CharField(
                max_length=40, blank=True, validators=[phone_validator], **common
            )
        case FieldType.FILE:
            return models.FileField(
                upload_to=content_upload_path,
                max_length=255,
                blank=True,
                validators=[validate_upload],
                **common,
            )
        case FieldType.REF:
            target = REGISTRY.group(field.ref_group)
            return models.ManyToManyField(
                f"standards.{model_name_for_group(target.name)}",
                blank=True,
                related_name=f"cited_by_{field.group}_{field.name}",
                verbose_name=field.label,
            )
    raise ValueError(f"{code}: no model field for type {field.type}")


def model_name_for_group(group: str) -> str:
    """The class name that holds a registry group: `legal_basis` -> `LegalBasis`."""
    return "".join(part.capitalize() for part in group.split("_"))
