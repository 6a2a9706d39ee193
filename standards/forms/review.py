"""Forms of the filing review: queue filters, comments, the return note, answers."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from standards.models import Department, Region, ReviewComment
from standards.registry import REGISTRY

TEXT_MAX_LENGTH = 2000
MAX_WAITING_DAYS = 3650


class QueueFilterForm(forms.Form):
    """The queue's filters; a filter with an invalid value is left out."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    level = forms.ChoiceField(label=_("Region level"), required=False)
    item_type = forms.ChoiceField(label=_("Item type"), required=False)
    min_days = forms.IntegerField(
        label=_("Waiting at least (days)"), min_value=0, max_value=MAX_WAITING_DAYS, required=False
    )

    def __init__(self, data: Any, departments: QuerySet[Department]) -> None:
        super().__init__(data)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments
        all_: list[tuple[str, Any]] = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["level"]).choices = all_ + Region.Level.choices
        item_types = REGISTRY.codelist("item_type").choices()
        cast(forms.ChoiceField, self.fields["item_type"]).choices = all_ + item_types
        for field in self.fields.values():
            css = "form-select form-select-sm" if field.widget.input_type == "select" else ""
            field.widget.attrs["class"] = css or "form-control form-control-sm"

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty filters."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value not in (None, "")}


def _field_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            f"{section.code} {section.label}",
            [(field.code, f"{field.code} {field.label}") for field in section.fields],
        )
        for section in REGISTRY.sections
    ]


# The rows that comments may be anchored to: group name -> [(row id, row name)].
RowChoices = dict[str, list[tuple[str, str]]]


def _row_choices(rows: RowChoices) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("— none (a field of a single group) —"))]
    for name, group_rows in rows.items():
        group = REGISTRY.group(name)
        if group_rows:
            choices.append((f"{group.section} {group.model._meta.verbose_name_plural}", group_rows))
    return choices


class CommentForm(forms.Form):
    """A comment anchored to a field and, for a repeating group, one of its rows."""

    field_code = forms.ChoiceField(
        label=_("Field"),
        error_messages={"invalid_choice": _("Choose a field of the standard.")},
    )
    row_id = forms.CharField(label=_("Row"), required=False, widget=forms.Select)
    reason = forms.ChoiceField(label=_("Reason"), choices=ReviewComment.Reason.choices)
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=ReviewComment.Severity.choices,
        initial=ReviewComment.Severity.MUST_FIX,
    )
    text = forms.CharField(
        label=_("Comment"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the comment.")},
    )

    def __init__(self, rows: RowChoices, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        cast(forms.ChoiceField, self.fields["field_code"]).choices = _field_choices()
        cast(forms.Select, self.fields["row_id"].widget).choices = _row_choices(rows)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code, row_id = cleaned.get("field_code"), cleaned.get("row_id", "")
        if not code:
            return cleaned
        field = REGISTRY[code]
        if not field.repeats:
            if row_id:
                self.add_error(
                    "row_id", _("This field is not in a repeating group: choose no row.")
                )
            return cleaned
        group = REGISTRY.group(field.group)
        if not row_id:
            self.add_error(
                "row_id",
                _("Choose the row of “%(group)s” the comment is about.")
                % {"group": group.model._meta.verbose_name_plural},
            )
        elif row_id not in {row for row, _name in self.rows.get(field.group, [])}:
            self.add_error(
                "row_id",
                _("This row is not a row of “%(group)s”.")
                % {"group": group.model._meta.verbose_name_plural},
            )
        return cleaned


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the department (optional)"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class AnswerForm(forms.Form):
    """The department's answer to one comment: fixed, or not changed with an explanation."""

    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=ReviewComment.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose fixed or explained.")},
    )
    answer_text = forms.CharField(
        label=_("Explanation"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        explained = cleaned.get("answer") == ReviewComment.Answer.EXPLAINED
        cleaned["answer_text"] = (cleaned.get("answer_text") or "").strip()
        if explained and not cleaned["answer_text"]:
            self.add_error(
                "answer_text", _("Explain why the field was not changed, or answer “fixed”.")
            )
        return cleaned
