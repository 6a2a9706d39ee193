"""Saving one section of a draft, refusing lost updates.

Each save is based on the content the editor loaded: its edit count and the
section's values at that time (signed into the form). If someone saved this
section in between, the save is refused with their changes; saves of other
sections in between do not block it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction

from standards.access import require_editable, version_for_editor
from standards.diff import Change, diff_content
from standards.forms.content import ContentForm, RowFormSet
from standards.models import StandardVersion
from standards.registry import REGISTRY, Group, Section
from standards.snapshot import load_references, values_of

from .drafting import refresh_progress

BASE_SALT = "standards.editor.section-base"


class EditConflict(Exception):
    """Someone else saved this section since it was loaded."""

    def __init__(self, changes: list[Change], current: StandardVersion) -> None:
        super().__init__("edit conflict")
        self.changes = changes
        self.current = current


class SectionRefused(PermissionDenied):
    """A save check refused some of the values; its messages are on the forms' fields."""


@dataclass
class SectionInput:
    """The validated forms of one section, as the view bound them."""

    forms: dict[str, ContentForm] = field(default_factory=dict)
    formsets: dict[str, RowFormSet] = field(default_factory=dict)


# Checks other apps add (adoption: fields inherited from a template are
# locked). Each gets the locked version, the section and the validated input,
# adds its errors to the forms and returns True when it refuses the save.
SAVE_CHECKS: list[Callable[[StandardVersion, Section, SectionInput], bool]] = []


def section_groups(section: Section) -> list[Group]:
    return list(section.groups)


def section_state(version: StandardVersion, section: Section) -> dict[str, Any]:
    """The section's content as plain data (the snapshot's shape, this section only)."""
    groups = section_groups(section)
    references = load_references(version, groups)
    state: dict[str, Any] = {}
    for group in groups:
        rows = group.model._default_manager.filter(version=version)
        if group.repeats:
            state[group.name] = [
                {"row_id": str(row.uid), **values_of(row, group, references)} for row in rows
            ]
        else:
            state[group.name] = values_of(rows.first(), group, references)
    return state


def sign_base(state: dict[str, Any]) -> str:
    return signing.dumps(state, salt=BASE_SALT, compress=True)


def read_base(token: str) -> dict[str, Any] | None:
    try:
        return signing.loads(token, salt=BASE_SALT)
    except signing.BadSignature:
        return None


def changes_since(
    version: StandardVersion,
    section: Section,
    base_count: int,
    base_state: dict[str, Any] | None,
) -> list[Change] | None:
    """Others' changes to the section since the editor loaded it; None when there are none."""
    if version.edit_count == base_count:
        return None
    if base_state is None:
        # Without a readable base we cannot tell what changed: refuse to be safe.
        return []
    theirs = diff_content(base_state, section_state(version, section), section_groups(section))
    return theirs or None


@transaction.atomic
def save_section(
    *,
    user: Any,
    version_pk: int,
    section: Section,
    data: SectionInput,
    base_count: int,
    base_state: dict[str, Any] | None,
    uid_to_pk: dict[str, dict[str, int]],
) -> StandardVersion:
    """Write the section; raise EditConflict when it changed since it was loaded."""
    version = version_for_editor(user, version_pk, for_update=True)
    require_editable(user, version)
    theirs = changes_since(version, section, base_count, base_state)
    if theirs is not None:
        raise EditConflict(theirs, version)
    # Every check runs, so that all their messages show at once.
    refusals = [check(version, section, data) for check in SAVE_CHECKS]
    if any(refusals):
        raise SectionRefused
    for form in data.forms.values():
        created = form.instance.pk is None
        instance = form.save(commit=False)
        instance.version = version
        instance.save()
        _save_refs(form, instance, uid_to_pk, created=created)
    for formset in data.formsets.values():
        _save_rows(version, formset, uid_to_pk)
    version.edit_count += 1
    version.save(update_fields=["edit_count", "updated_at"])
    refresh_progress(version, user=user)
    return version


def _save_rows(
    version: StandardVersion, formset: RowFormSet, uid_to_pk: dict[str, dict[str, int]]
) -> None:
    for form in formset.deleted_forms:
        if form.instance.pk is not None and form.instance.version_id == version.pk:
            form.instance.delete()
    for position, form in enumerate(formset.ordered_kept_forms()):
        instance = form.instance
        if not form.has_changed() and instance.pk is not None and instance.position == position:
            continue
        created = instance.pk is None
        instance = form.save(commit=False)
        instance.version = version
        instance.position = position
        instance.save()
        _save_refs(form, instance, uid_to_pk, created=created)


def _save_refs(
    form: ContentForm, instance: Any, uid_to_pk: dict[str, dict[str, int]], *, created: bool
) -> None:
    for ref in form.ref_fields():
        chosen = form.cleaned_data.get(ref.attribute) or []
        if not created and set(chosen) == set(form.initial.get(ref.attribute) or []):
            continue
        targets = uid_to_pk.get(ref.ref_group, {})
        getattr(instance, ref.attribute).set([targets[uid] for uid in chosen if uid in targets])


def registry_section(code: str) -> Section:
    for section in REGISTRY.sections:
        if section.code == code:
            return section
    raise KeyError(code)
