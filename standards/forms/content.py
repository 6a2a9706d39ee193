"""Model forms and row formsets for registry groups.

A group's form holds every registry field of the group, in registry order,
labelled and explained from the registry. Reference fields are edited as
sets of row ids (`uid`s) of the same version: choices are read once per page,
so validating many rows costs no query per row.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.forms import BaseModelFormSet, modelformset_factory

from standards.registry import REGISTRY, Field, FieldType, Group

from .widgets import widget_for

RefChoices = dict[str, list[tuple[str, str]]]


class ContentForm(forms.ModelForm):
    """Base for the generated group forms (see `form_class_for`)."""

    registry_group: Group
    # Set by the section page when a rule finding concerns this form's fields.
    has_findings = False

    def __init__(
        self,
        *args: Any,
        ref_choices: RefChoices | None = None,
        ref_initial: dict[str, list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        ref_choices = ref_choices or {}
        for field in self.ref_fields():
            self.fields[field.attribute] = forms.MultipleChoiceField(
                choices=ref_choices.get(field.ref_group, []),
                required=False,
                label=field.label,
                help_text=field.help,
                widget=widget_for(field),
            )
            if ref_initial is not None:
                self.initial[field.attribute] = ref_initial.get(field.code, [])
        self.helper = _helper_for(self.registry_group)

    @classmethod
    def ref_fields(cls) -> list[Field]:
        return [f for f in cls.registry_group.fields if f.type is FieldType.REF]

    def cleaned_refs(self) -> dict[str, list[str]]:
        """Chosen row uids per reference field attribute."""
        return {
            f.attribute: list(self.cleaned_data.get(f.attribute) or []) for f in self.ref_fields()
        }


@cache
def form_class_for(group_name: str) -> type[ContentForm]:
    group = REGISTRY.group(group_name)
    # References are not model-form fields: reading them per instance would
    # cost a query per row. ContentForm adds them as choices of row uids.
    attributes = [f.attribute for f in group.fields if f.type is not FieldType.REF]
    meta = type(
        "Meta",
        (),
        {
            "model": group.model,
            "fields": attributes,
            "widgets": {
                f.attribute: widget_for(f) for f in group.fields if f.attribute in attributes
            },
            "labels": {f.attribute: f.label for f in group.fields if f.attribute in attributes},
            "help_texts": {f.attribute: f.help for f in group.fields if f.attribute in attributes},
        },
    )
    name = f"{group.model.__name__}Form"
    return type(name, (ContentForm,), {"Meta": meta, "registry_group": group})


class _LoadedRowField(forms.ModelChoiceField):
    """The hidden row id, resolved from the rows the formset loaded once.

    Django's own field looks each posted id up with a query, one per row. An
    id that no longer exists (someone removed the row meanwhile) reads as a
    new row: the editor reports the removal as a conflict first, and saving
    again after that re-creates the row with what this user typed.
    """

    def __init__(self, rows: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows = rows

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        return self.rows.get(str(value))


class RowFormSet(BaseModelFormSet):
    """Rows of one repeating group; order comes from the hidden ORDER field."""

    registry_group: Group
    model: Any
    forms: list[Any]

    def add_fields(self, form: Any, index: int | None) -> None:
        super().add_fields(form, index)
        pk_field: Any = form.fields[self.model._meta.pk.name]
        rows = {str(row.pk): row for row in self.get_queryset()}
        form.fields[self.model._meta.pk.name] = _LoadedRowField(
            rows,
            queryset=pk_field.queryset,
            initial=pk_field.initial,
            required=False,
            widget=pk_field.widget,
        )

    def ordered_kept_forms(self) -> list[Any]:
        deleted = {id(f) for f in self.deleted_forms}
        kept = [f for f in self.forms if id(f) not in deleted and self._is_kept(f)]
        return sorted(
            kept,
            key=lambda f: (f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER") or 0),
        )

    def _is_kept(self, form: Any) -> bool:
        # A blank row added by mistake is skipped rather than saved empty.
        return form.instance.pk is not None or form.has_changed()


@cache
def formset_class_for(group_name: str) -> type[RowFormSet]:
    group = REGISTRY.group(group_name)
    formset = modelformset_factory(
        group.model,
        form=form_class_for(group_name),
        formset=RowFormSet,
        extra=0,
        can_delete=True,
        can_order=True,
        max_num=500,
        validate_max=True,
    )
    formset.registry_group = group  # type: ignore[attr-defined]
    return formset  # type: ignore[return-value]


def _helper_for(group: Group) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*_layout_items(group))
    return helper


def _layout_items(group: Group) -> list[Any]:
    """Fields in registry order; a duration and its unit share one row."""
    items: list[Any] = []
    fields = list(group.fields)
    index = 0
    while index < len(fields):
        field = fields[index]
        following = fields[index + 1] if index + 1 < len(fields) else None
        if (
            field.type is FieldType.DURATION
            and following
            and following.codelist
            in (
                "time_unit",
                "validity_unit",
            )
        ):
            items.append(
                Row(
                    Column(field.attribute, css_class="col-sm-6"),
                    Column(following.attribute, css_class="col-sm-6"),
                )
            )
            index += 2
            continue
        items.append(field.attribute)
        index += 1
    return items
