"""Which fields and rows of an adopting standard are inherited (locked) or overridden.

A field of a single-valued group is inherited unless an override names it. A
row of a repeating group is inherited when the template has a row with the same
`uid` (adoption copies rows with their uids); its fields are locked unless an
override names the field in that row or the whole row. Rows the adopter added
(extensions) are its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy

from adoption.models import Adoption, Override
from standards.models import PublishedSnapshot, StandardVersion
from standards.registry import REGISTRY, Field, Section
from standards.services.editing import SectionInput


@dataclass
class LockState:
    """The adoption of one standard as the editor needs it."""

    adoption: Adoption | None = None
    template_rows: set[str] = field(default_factory=set)
    overrides: set[tuple[str, str]] = field(default_factory=set)

    @property
    def adopted(self) -> bool:
        return self.adoption is not None

    def is_inherited_row(self, row_uid: str) -> bool:
        return self.adopted and row_uid in self.template_rows

    def row_overridden(self, row_uid: str) -> bool:
        return ("", row_uid) in self.overrides

    def is_locked(self, code: str, row_uid: str = "") -> bool:
        """Whether the field (in that row, for repeating groups) must keep the template's value."""
        if not self.adopted:
            return False
        if row_uid and (row_uid not in self.template_rows or self.row_overridden(row_uid)):
            return False
        return (code, row_uid) not in self.overrides


def template_row_uids(versions: list[StandardVersion]) -> set[str]:
    """Row uids of the template's published versions, from their snapshots (one query)."""
    uids: set[str] = set()
    datas = PublishedSnapshot.objects.filter(version__in=versions).values_list("data", flat=True)
    for data in datas:
        for group in REGISTRY.groups.values():
            if group.repeats:
                uids.update(str(r["row_id"]) for r in data["content"].get(group.name) or [])
    return uids


def lock_state(standard_id: int) -> LockState:
    """Three queries for an adopting standard, one for any other."""
    adoption = (
        Adoption.objects.select_related("template__standard")
        .filter(standard_id=standard_id)
        .first()
    )
    if adoption is None:
        return LockState()
    latest = latest_published(adoption.template.standard_id)
    versions = [adoption.adopted_template_version]
    if latest is not None:
        versions.append(latest)
    return LockState(
        adoption=adoption,
        template_rows=template_row_uids(versions),
        overrides=set(
            Override.objects.filter(adoption=adoption).values_list("field_code", "row_uid")
        ),
    )


def latest_published(standard_id: int) -> StandardVersion | None:
    return (
        StandardVersion.objects.filter(
            standard_id=standard_id, state=StandardVersion.State.PUBLISHED
        )
        .order_by("-number")
        .first()
    )


def _field_of(group_name: str, attribute: str) -> Field | None:
    for field_ in REGISTRY.group(group_name).fields:
        if field_.attribute == attribute:
            return field_
    return None


LOCKED_MESSAGE = gettext_lazy(
    "This field is inherited from the template and locked. "
    "Record an override with a reason on the adoption page to change it."
)
ROW_LOCKED_MESSAGE = gettext_lazy(
    "This row is inherited from the template. "
    "Record an override of the row with a reason on the adoption page to remove it."
)


def refuse_locked_changes(version: StandardVersion, section: Section, data: SectionInput) -> bool:
    """The save check (standards.services.editing.SAVE_CHECKS): locked values stay as they are."""
    state = lock_state(version.standard_id)
    if not state.adopted:
        return False
    refused = False
    for form in data.forms.values():
        refused |= _refuse_fields(form, state, "")
    for formset in data.formsets.values():
        deleted = {id(f) for f in formset.deleted_forms}
        for form in formset.forms:
            if form.instance.pk is None:
                continue  # a local row: an extension
            uid = str(form.instance.uid)
            if id(form) in deleted:
                if state.is_inherited_row(uid) and not state.row_overridden(uid):
                    form.add_error(None, ROW_LOCKED_MESSAGE)
                    formset._non_form_errors.append(  # type: ignore[attr-defined]
                        ROW_LOCKED_MESSAGE
                    )
                    refused = True
                continue
            refused |= _refuse_fields(form, state, uid)
    return refused


def _refuse_fields(form: Any, state: LockState, row_uid: str) -> bool:
    refused = False
    for attribute in form.changed_data:
        field_ = _field_of(form.registry_group.name, attribute)
        if field_ is not None and state.is_locked(field_.code, row_uid):
            form.add_error(attribute, LOCKED_MESSAGE)
            refused = True
    return refused
