"""Forms of adoption: an override (place and reason) and a decision on template changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from standards.changes.values import row_name
from standards.registry import REGISTRY

WHOLE_ROW = ""


class OverrideForm(forms.Form):
    """Where the local standard departs from the template, and why (the reason is required)."""

    field_code = forms.ChoiceField(label=_("Field"), required=False)
    row_uid = forms.ChoiceField(label=_("Row"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Give the reason for departing from the template.")},
    )

    def __init__(self, *args: Any, template_content: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_groups: dict[str, str] = {}
        rows: list[tuple[str, Any]] = [("", _("(single-valued field: no row)"))]
        for group in REGISTRY.groups.values():
            if group.repeats:
                for index, row in enumerate(template_content.get(group.name) or []):
                    uid = str(row["row_id"])
                    self.row_groups[uid] = group.name
                    label = f"{group.model._meta.verbose_name}: {row_name(group, row, index)}"
                    rows.append((uid, label))
        self.fields["row_uid"].choices = rows  # type: ignore[attr-defined]
        fields: list[tuple[str, Any]] = [(WHOLE_ROW, _("(the whole row)"))]
        fields += [(f.code, f"{f.code} {f.label}") for f in REGISTRY]
        self.fields["field_code"].choices = fields  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("field_code") or ""
        row = cleaned.get("row_uid") or ""
        if "field_code" in self.errors or "row_uid" in self.errors:
            return cleaned
        if not code:
            if not row:
                self.add_error("row_uid", _("Choose the row to override, or a field."))
            return cleaned
        field = REGISTRY[code]
        if field.repeats and not row:
            self.add_error("row_uid", _("This field is in a repeating group: choose its row."))
        elif field.repeats and self.row_groups.get(row) != field.group:
            self.add_error("row_uid", _("This row is not in the field's group."))
        elif not field.repeats and row:
            self.add_error("row_uid", _("This field is not in a repeating group: choose no row."))
        return cleaned


class KeepForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for keeping your value"),
        max_length=2000,
        error_messages={"required": _("Give the reason for keeping your value.")},
    )


class BulkAdoptForm(forms.Form):
    templates = forms.MultipleChoiceField(
        label=_("Templates"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one template.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["templates"].choices = choices  # type: ignore[attr-defined]
