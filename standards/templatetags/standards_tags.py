"""Template helpers for showing registry fields and their values."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from standards.access import roles_of
from standards.registry import REGISTRY, FieldType

register = template.Library()


@register.filter
def has_role(user: Any, role: str) -> bool:
    """Whether the signed-in user holds a role (one query per request, then cached)."""
    return role in roles_of(user)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def verbose_name(model: Any) -> Any:
    return model._meta.verbose_name


@register.filter
def verbose_name_plural(model: Any) -> Any:
    return model._meta.verbose_name_plural


@register.filter
def field_label(code: str) -> Any:
    return REGISTRY[code].label if code in REGISTRY else code


@register.filter
def group_label(name: str) -> Any:
    group = REGISTRY.groups.get(name)
    return group.model._meta.verbose_name if group else name


@register.filter
def field_value(value: Any, code: str) -> str:
    """A snapshot value as a reader sees it: code labels, 是/否, lists joined."""
    if value in (None, "", []):
        return _("(empty)")
    field = REGISTRY[code]
    match field.type:
        case FieldType.CHOICE:
            return str(REGISTRY.codelist(field.codelist).label_for(value))
        case FieldType.MULTICHOICE:
            codelist = REGISTRY.codelist(field.codelist)
            return "、".join(str(codelist.label_for(v)) for v in value)
        case FieldType.BOOLEAN:
            return _("Yes") if value else _("No")
        case FieldType.REF:
            return _("%(count)s linked rows") % {"count": len(value)}
    return str(value)


# Groups with more rows than this start folded, except new rows and rows with errors.
FOLD_ROWS_ABOVE = 3


@register.filter
def row_open(form: Any, row_count: int) -> bool:
    """Whether a row of the editor starts unfolded: a new row, a row with errors, or
    any row of a short group. A row with rule findings is folded in a long group
    (its header says so; a finding about the whole group marks every row)."""
    if form.instance.pk is None or (form.is_bound and form.errors):
        return True
    return row_count <= FOLD_ROWS_ABOVE


@register.filter
def row_loaded_later(form: Any, row_count: int) -> bool:
    """Whether a row is sent folded, as hidden inputs, its inputs fetched on unfolding.

    Only a stored row shown as stored: after a refused save the page shows
    what was typed, which a fetch from the database would replace.
    """
    return form.instance.pk is not None and not form.is_bound and not row_open(form, row_count)


@register.simple_tag
def stored_values_as_hidden_inputs(form: Any) -> str:
    """A folded row's values, posted unchanged if the row is never unfolded.

    Each value is written as the field's own widget would post it (Django's
    hidden widgets, escaped); files are left out, which keeps the stored file.
    The inputs keep the ids of the real ones, so a link to a field still
    finds its row.
    """
    inputs = []
    for field in form.registry_group.fields:
        if field.type is FieldType.FILE or field.attribute not in form.fields:
            continue
        bound = form[field.attribute]
        for n, value in enumerate(_posted_values(bound)):
            inputs.append(
                format_html(
                    '<input type="hidden" name="{}" value="{}"{}>',
                    bound.html_name,
                    value,
                    format_html(' id="{}"', bound.auto_id) if n == 0 and bound.auto_id else "",
                )
            )
    return format_html_join("", "{}", ((html,) for html in inputs))


def _posted_values(bound: Any) -> list[str]:
    """What the field's own widget would post for the bound value (a select 'true',
    a date '2026-01-31', one entry per checked box)."""
    value = bound.field.widget.format_value(bound.value())
    if value is None:
        return [""]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


@register.filter
def row_summary(form: Any) -> str:
    """The row's first text value, so folded rows can be told apart."""
    for field in form.registry_group.fields:
        if field.type in (FieldType.TEXT, FieldType.LONGTEXT):
            value = (
                form[field.attribute].value()
                if form.is_bound
                else getattr(form.instance, field.attribute, "")
            )
            if value:
                text = str(value)
                return text if len(text) <= 40 else f"{text[:40]}…"
    return ""
