"""One widget per registry field type; every input carries its field code."""

from __future__ import annotations

from typing import Any

from django import forms

from standards.registry import Field, FieldType
from standards.registry.catalogue import TEXT_MAX_LENGTH

ACCEPTED_UPLOADS = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"


class StaffFileInput(forms.ClearableFileInput):
    """Shows the stored file as a link to the access-checked download view.

    The download address is set per form (`data-download-url`); the storage
    URL is never shown, because uploaded files are not served from MEDIA_URL.
    """

    template_name = "standards/widgets/file_input.html"
    download_url = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["download_url"] = self.download_url
        return context


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def widget_for(field: Field) -> forms.Widget:
    attrs = {"data-field-code": field.code}
    match field.type:
        case FieldType.TEXT:
            return forms.TextInput(attrs={**attrs, "maxlength": str(TEXT_MAX_LENGTH)})
        case FieldType.LONGTEXT:
            return forms.Textarea(attrs={**attrs, "rows": "3"})
        case FieldType.CHOICE:
            return forms.Select(attrs=attrs)
        case FieldType.MULTICHOICE | FieldType.REF:
            return forms.CheckboxSelectMultiple(attrs=attrs)
        case FieldType.BOOLEAN:
            return forms.NullBooleanSelect(attrs=attrs)
        case FieldType.INTEGER | FieldType.DURATION:
            return forms.NumberInput(attrs={**attrs, "min": "0", "step": "1"})
        case FieldType.DATE:
            return DateInput(attrs=attrs)
        case FieldType.URL:
            return forms.URLInput(attrs={**attrs, "placeholder": "https://"})
        case FieldType.EMAIL:
            return forms.EmailInput(attrs=attrs)
        case FieldType.PHONE:
            return forms.TextInput(attrs={**attrs, "inputmode": "tel", "autocomplete": "off"})
        case FieldType.FILE:
            return StaffFileInput(attrs={**attrs, "accept": ACCEPTED_UPLOADS})
    raise ValueError(f"No widget for {field}")
