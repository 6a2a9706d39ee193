"""Content sent to the API for one section, turned into the editor's form data.

The API validates and saves through the very forms the browser editor uses
(`SectionPage`, `save_section`): this module only translates between JSON keyed
by registry field codes and the form fields and formsets of a section, and
maps the forms' errors back to field codes and rows. It checks JSON shapes
(a string where text is expected, a list for a multiple choice) because a
form would silently read `true` as the text "True"; every rule about values
stays in the forms.

Semantics (a merge, so a caller may send only what changes):
- a field left out keeps its stored value;
- a repeating group sent replaces that group's rows, in the order sent: a row
  with the `row_id` of a stored row updates it (fields left out are kept), a
  row without `row_id` is added, a stored row left out is removed;
- a repeating group left out is unchanged.
Files cannot be uploaded through the API (they are uploaded in the editor); a
file field sent must repeat its stored value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from api.errors import ContentInvalid, Error, error
from standards.models import StandardVersion
from standards.registry import REGISTRY, Field, FieldType, Group, Section

TEXT_TYPES = frozenset(
    {
        FieldType.TEXT,
        FieldType.LONGTEXT,
        FieldType.CHOICE,
        FieldType.DATE,
        FieldType.URL,
        FieldType.EMAIL,
        FieldType.PHONE,
    }
)
LIST_TYPES = frozenset({FieldType.MULTICHOICE, FieldType.REF})
NUMBER_TYPES = frozenset({FieldType.INTEGER, FieldType.DURATION})


@dataclass
class RowPlace:
    """Where a form of a formset came from, for error messages."""

    row: int
    row_id: str | None


@dataclass
class FormData:
    data: MultiValueDict
    # group name -> form index -> the row as the caller numbered it
    places: dict[str, dict[int, RowPlace]] = field(default_factory=dict)


def form_data(
    version: StandardVersion, section: Section, stored: dict[str, Any], sent: Any
) -> FormData:
    """The POST data of the section's page holding `stored` with `sent` merged in."""
    errors: list[Error] = []
    if not isinstance(sent, dict):
        raise ContentInvalid(
            [error(_("Send the section's content as an object keyed by group."), "invalid")]
        )
    groups = {g.name: g for g in section.groups}
    for name in sent:
        if name not in groups:
            errors.append(
                error(
                    _("This section has no group “%(name)s”.") % {"name": name},
                    "unknown_group",
                    group=name,
                )
            )
    result = FormData(MultiValueDict())
    for group in section.groups:
        if group.repeats:
            rows = sent.get(group.name)
            _rows(result, version, group, stored.get(group.name) or [], rows, errors)
        else:
            merged = _merge(group, stored.get(group.name) or {}, sent.get(group.name), None, errors)
            _fields(result.data, group.name, group, merged)
    if errors:
        raise ContentInvalid(errors)
    return result


def _merge(
    group: Group,
    stored: dict[str, Any],
    sent: Any,
    row: int | None,
    errors: list[Error],
) -> dict[str, Any]:
    if sent is None:
        return dict(stored)
    if not isinstance(sent, dict):
        errors.append(
            error(_("Send an object keyed by field code."), "invalid", group=group.name, row=row)
        )
        return dict(stored)
    known = {f.code: f for f in group.fields}
    merged = dict(stored)
    for code, value in sent.items():
        if code == "row_id" and group.repeats:
            continue
        registry_field = known.get(code)
        if registry_field is None:
            errors.append(
                error(
                    _("This group has no field “%(code)s”.") % {"code": code},
                    "unknown_field",
                    field=code,
                    group=group.name,
                    row=row,
                )
            )
            continue
        problem = _shape_problem(registry_field, value, stored.get(code))
        if problem:
            errors.append(
                error(problem, "invalid", field=code, row=row, row_id=stored.get("row_id"))
            )
            continue
        merged[code] = value
    return merged


def _shape_problem(registry_field: Field, value: Any, stored: Any) -> str | None:
    kind = registry_field.type
    if kind is FieldType.FILE:
        if value != stored:
            return _("Files are uploaded in the editor; the API keeps the stored file.")
        return None
    if value is None:
        return None
    if kind in TEXT_TYPES and not isinstance(value, str):
        return _("Enter text.")
    if kind in LIST_TYPES and not (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    ):
        return _("Enter a list of codes.")
    if kind is FieldType.BOOLEAN and not isinstance(value, bool):
        return _("Enter true, false or null.")
    if kind in NUMBER_TYPES and (isinstance(value, bool) or not isinstance(value, int)):
        return _("Enter a whole number.")
    return None


def _rows(
    result: FormData,
    version: StandardVersion,
    group: Group,
    stored: list[dict[str, Any]],
    sent: Any,
    errors: list[Error],
) -> None:
    by_id = {row["row_id"]: row for row in stored}
    if sent is None:
        kept: list[tuple[dict[str, Any], int]] = [(row, n) for n, row in enumerate(stored, 1)]
    elif not isinstance(sent, list):
        errors.append(error(_("Send the rows as a list."), "invalid", group=group.name))
        return
    else:
        kept = []
        seen: set[str] = set()
        for number, row in enumerate(sent, start=1):
            row_id = row.get("row_id") if isinstance(row, dict) else None
            if row_id is not None and (not isinstance(row_id, str) or row_id not in by_id):
                errors.append(
                    error(
                        _("This draft has no such row; leave row_id out to add a row."),
                        "unknown_row",
                        group=group.name,
                        row=number,
                    )
                )
                continue
            if row_id in seen:
                errors.append(
                    error(
                        _("This row is sent twice."),
                        "repeated_row",
                        group=group.name,
                        row=number,
                        row_id=row_id,
                    )
                )
                continue
            if row_id:
                seen.add(row_id)
            base = by_id[row_id] if row_id else {}
            kept.append((_merge(group, base, row, number, errors), number))
    _encode_rows(result, version, group, stored, kept)


def _encode_rows(
    result: FormData,
    version: StandardVersion,
    group: Group,
    stored: list[dict[str, Any]],
    kept: list[tuple[dict[str, Any], int]],
) -> None:
    """Stored rows first (with their ids, removed ones marked), then new rows, as a formset."""
    pks = dict(group.model._default_manager.filter(version=version).values_list("uid", "pk"))
    pk_of = {str(uid): pk for uid, pk in pks.items()}
    data, prefix = result.data, group.name
    kept_by_id = {row.get("row_id"): (row, n) for row, n in kept if row.get("row_id")}
    order = {id(row): position for position, (row, _n) in enumerate(kept, start=1)}
    places: dict[int, RowPlace] = {}
    index = 0
    for row in stored:
        form = f"{prefix}-{index}"
        data[f"{form}-id"] = str(pk_of.get(row["row_id"], ""))
        found = kept_by_id.get(row["row_id"])
        if found is None:
            data[f"{form}-DELETE"] = "on"
            _fields(data, form, group, row)
        else:
            values, number = found
            data[f"{form}-ORDER"] = str(order[id(values)])
            _fields(data, form, group, values)
            places[index] = RowPlace(number, row["row_id"])
        index += 1
    for values, number in kept:
        if values.get("row_id"):
            continue
        form = f"{prefix}-{index}"
        data[f"{form}-id"] = ""
        data[f"{form}-ORDER"] = str(order[id(values)])
        _fields(data, form, group, values)
        places[index] = RowPlace(number, None)
        index += 1
    data[f"{prefix}-TOTAL_FORMS"] = str(index)
    data[f"{prefix}-INITIAL_FORMS"] = str(len(stored))
    data[f"{prefix}-MIN_NUM_FORMS"] = "0"
    data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    result.places[group.name] = places


def _fields(data: MultiValueDict, prefix: str, group: Group, values: dict[str, Any]) -> None:
    for registry_field in group.fields:
        if registry_field.type is FieldType.FILE:
            # Not sent: the form keeps the stored file, as a browser that chose none.
            continue
        name = f"{prefix}-{registry_field.attribute}"
        value = values.get(registry_field.code)
        if registry_field.type in LIST_TYPES:
            data.setlist(name, [str(v) for v in value or []])
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool):
            data[name] = "true" if value else "false"
        else:
            data[name] = str(value)


def content_errors(page: Any, places: dict[str, dict[int, RowPlace]]) -> list[Error]:
    """The section forms' errors, each at its field code (and row)."""
    found: list[Error] = []
    for name, form in page.forms.items():
        found += _form_errors(form, REGISTRY.group(name), None)
    for name, formset in page.formsets.items():
        group = REGISTRY.group(name)
        for message in formset.non_form_errors():
            found.append(error(message, "invalid_rows", group=name))
        for index, form in enumerate(formset.forms):
            if formset.can_delete and formset._should_delete_form(form):
                continue
            found += _form_errors(form, group, places.get(name, {}).get(index))
    return found


def _form_errors(form: Any, group: Group, place: RowPlace | None) -> list[Error]:
    by_attribute = {f.attribute: f.code for f in group.fields}
    where: dict[str, Any] = {"group": group.name}
    if place is not None:
        where.update(row=place.row, row_id=place.row_id)
    found: list[Error] = []
    for attribute, problems in form.errors.as_data().items():
        code = by_attribute.get(attribute)
        for problem in problems:
            for message in problem.messages:
                found.append(error(message, problem.code or "invalid", field=code, **where))
    return found
