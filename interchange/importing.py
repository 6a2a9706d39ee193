"""Importing a workbook into a department's draft, through the editor's own forms.

The workbook's content (already read and checked cell by cell by
`workbook.reader`) is posted section by section to the same forms the editor
uses (`standards.views.section_page.SectionPage`) and saved by the same
service (`standards.services.editing.save_section`), so an import can store
exactly what a person could type, validated by the same code, and the save
is recorded in the history like any other.

Everything runs in one transaction. A dry run does all of it, collects every
problem, and rolls back; the real import does the same and commits only when
nothing at all was wrong. Rows keep the row ids of the workbook, so an
exported version imported again has the same row ids, and references between
sections (conditions citing materials of a later section) are set in a second
pass once every row exists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from standards.access import version_for_editor
from standards.models import ApprovalItem, PublishedSnapshot, Standard, StandardVersion
from standards.registry import REGISTRY, Field, FieldType, Group, Section
from standards.services.drafting import new_draft_from, start_standard
from standards.services.editing import save_section
from standards.views.section_page import SectionPage

from .problems import ImportRefused, Problem
from .workbook import layout
from .workbook.reader import ParsedWorkbook

# Problems with the workbook's layout rather than with values.
STRUCTURAL_PROBLEMS = frozenset(
    {"unknown_field", "missing_field", "duplicate_field", "unknown_sheet"}
)


@dataclass
class SheetSummary:
    title: str
    rows: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0


@dataclass
class ImportOutcome:
    version_number: int
    version_pk: int | None  # None after a dry run: nothing was kept
    action: str  # "new_standard", "new_draft" or "update_draft"
    sheets: list[SheetSummary] = field(default_factory=list)


class _DryRunDone(Exception):
    """Raised at the end of a dry run to roll its transaction back."""

    def __init__(self, outcome: ImportOutcome) -> None:
        super().__init__("dry run")
        self.outcome = outcome


def import_workbook(
    *, user: Any, item: ApprovalItem, parsed: ParsedWorkbook, dry_run: bool
) -> ImportOutcome:
    """Apply `parsed` to the user's draft of `item`; ImportRefused lists every problem."""
    if parsed.item_code != item.basic_code:
        raise ImportRefused(
            [
                Problem(
                    "wrong_item",
                    _("This workbook belongs to item %(found)s, not to %(expected)s (%(name)s).")
                    % {
                        "found": parsed.item_code or "—",
                        "expected": item.basic_code,
                        "name": item.name,
                    },
                    layout.INFO_SHEET,
                )
            ]
        )
    structural = [p for p in parsed.problems if p.code in STRUCTURAL_PROBLEMS]
    if structural:
        # Cells cannot be matched with fields: posting them to the forms would mislead.
        raise ImportRefused(parsed.problems)
    try:
        with transaction.atomic():
            outcome = _import(user, item, parsed)
            if dry_run:
                raise _DryRunDone(outcome)
    except _DryRunDone as done:
        done.outcome.version_pk = None
        return done.outcome
    return outcome


def _import(user: Any, item: ApprovalItem, parsed: ParsedWorkbook) -> ImportOutcome:
    version, action = _target(user, item)
    problems = list(parsed.problems)
    problems += _check_files(version, parsed)
    sheets = {s.group.name: SheetSummary(s.title) for s in layout.sheet_specs() if s.group.repeats}
    importer = _SectionImporter(user, version, parsed, sheets)
    deferred = []
    for section in REGISTRY.sections:
        section_problems, forward = importer.apply(section, final=False)
        problems += section_problems
        if forward:
            deferred.append(section)
    if not problems:
        # References to rows of later sections: every row exists now.
        for section in deferred:
            problems += importer.apply(section, final=True)[0]
    if problems:
        raise ImportRefused(problems)
    version.refresh_from_db()
    return ImportOutcome(version.number, version.pk, action, list(sheets.values()))


def _target(user: Any, item: ApprovalItem) -> tuple[StandardVersion, str]:
    """The draft to write: the open one, a new one after the last version, or the first one."""
    standard = Standard.objects.filter(item=item, department=user.department).first()
    if standard is None or not standard.versions.exists():
        version = start_standard(item=item, user=user)
        return _locked(user, version), "new_standard"
    open_version = standard.versions.open().first()
    if open_version is not None:
        if not open_version.is_editable:
            raise ImportRefused(
                [
                    Problem(
                        "not_editable",
                        _(
                            "Version %(number)s of this standard is in the filing workflow "
                            "(%(state)s) and cannot be changed by an import now."
                        )
                        % {
                            "number": open_version.number,
                            "state": open_version.get_state_display(),
                        },
                    )
                ]
            )
        return _locked(user, open_version), "update_draft"
    latest = standard.versions.order_by("-number").first()
    if latest is None:  # pragma: no cover - excluded by the check above
        raise ImportRefused([])
    return _locked(user, new_draft_from(version=latest, user=user)), "new_draft"


def _locked(user: Any, version: StandardVersion) -> StandardVersion:
    # Held until the import commits: an editor saving meanwhile waits, then
    # sees the import as someone else's change (the editor's conflict check).
    return version_for_editor(user, version.pk, for_update=True)


def _check_files(version: StandardVersion, parsed: ParsedWorkbook) -> list[Problem]:
    """A file cell may only name a file this standard (or the item's published guides) already has.

    The workbook cannot carry files, and a storage name typed into a cell must
    not reach another department's unpublished uploads.
    """
    problems: list[Problem] = []
    published = list(
        PublishedSnapshot.objects.filter(
            version__standard__item=version.standard.item,
            version__state__in=(StandardVersion.State.PUBLISHED, StandardVersion.State.SUPERSEDED),
        ).values_list("data", flat=True)
    )
    for group in REGISTRY.groups.values():
        for field_ in group.fields:
            if field_.type is not FieldType.FILE:
                continue
            allowed = set(
                group.model._default_manager.filter(version__standard=version.standard)
                .exclude(**{field_.attribute: ""})
                .values_list(field_.attribute, flat=True)
            )
            if field_.in_guide:
                allowed |= {
                    name for data in published for name in _snapshot_files(data, group, field_)
                }
            value = parsed.content.get(group.name)
            rows: list[dict[str, Any]] = (value or []) if group.repeats else [value or {}]
            for index, row in enumerate(rows):
                name = row.get(field_.code)
                if not name or (name in allowed and default_storage.exists(name)):
                    continue
                where = parsed.where(group.name, index if group.repeats else -1, field_.code)
                problems.append(
                    Problem(
                        "unknown_file",
                        _(
                            "The file %(name)s is not one of this standard's files. "
                            "Files cannot be imported: upload it in the editor."
                        )
                        % {"name": name},
                        where.sheet if where else "",
                        where.row if where else None,
                        where.column if where else "",
                        field_.code,
                    )
                )
    return problems


def _snapshot_files(data: dict[str, Any], group: Group, field_: Field) -> list[str]:
    value = (data.get("content") or {}).get(group.name)
    rows = value if group.repeats else [value or {}]
    return [str(r.get(field_.code)) for r in rows or [] if r.get(field_.code)]


class _SectionImporter:
    """Posts one section of the workbook to the editor's forms and saves it."""

    def __init__(
        self,
        user: Any,
        version: StandardVersion,
        parsed: ParsedWorkbook,
        sheets: dict[str, SheetSummary],
    ) -> None:
        self.user = user
        self.version = version
        self.parsed = parsed
        self.sheets = sheets
        self.workbook_ids = {
            name: [r["row_id"] for r in parsed.content.get(name, [])]
            for name, group in REGISTRY.groups.items()
            if group.repeats
        }

    def apply(self, section: Section, *, final: bool) -> tuple[list[Problem], bool]:
        """(problems, whether a reference waited for rows not saved yet)."""
        self.version.refresh_from_db(fields=["edit_count"])
        page = SectionPage(self.version, section)
        existing = {target: set(uids) for target, uids in page.uid_to_pk.items()}
        # The forms accept any row of the workbook; rows not saved yet are
        # linked in the second pass (save_section skips unknown targets).
        page.ref_choices = {
            target: [
                (uid, uid) for uid in dict.fromkeys([*existing[target], *self.workbook_ids[target]])
            ]
            for target in page.ref_choices
        }
        data, forms_to_rows, new_uids = self._post_data(section, count=not final)
        page.build(data)
        for group_name, uids in new_uids.items():
            formset = page.formsets[group_name]
            for index, uid in uids.items():
                formset.forms[index].instance.uid = uuid.UUID(uid)
        self._set_files(page, forms_to_rows)
        if not page.is_valid():
            return self._form_problems(page, forms_to_rows), False
        self._mark_file_changes(page, forms_to_rows)
        save_section(
            user=self.user,
            version_pk=self.version.pk,
            section=section,
            data=page.validated_input(),
            base_count=self.version.edit_count,
            base_state=None,
            uid_to_pk=page.uid_to_pk,
        )
        waiting = any(
            uid not in existing[f.ref_group]
            for group in section.groups
            for row in self._rows(group)
            for f in group.fields
            if f.type is FieldType.REF
            for uid in row.get(f.code) or []
        )
        return [], waiting

    def _rows(self, group: Group) -> list[dict[str, Any]]:
        value = self.parsed.content.get(group.name)
        return list(value or []) if group.repeats else [value or {}]

    def _post_data(
        self, section: Section, *, count: bool
    ) -> tuple[QueryDict, dict[tuple[str, int], int], dict[str, dict[int, str]]]:
        """POST data as the editor page would send it, which form is which workbook row,
        and the row ids of the forms that create rows."""
        data = QueryDict(mutable=True)
        forms_to_rows: dict[tuple[str, int], int] = {}
        new_uids: dict[str, dict[int, str]] = {}
        for group in section.groups:
            if not group.repeats:
                self._fields(data, group.name, group, self._rows(group)[0])
                forms_to_rows[(group.name, -1)] = -1
                continue
            stored = list(group.model._default_manager.filter(version=self.version))
            rows = self._rows(group)
            position = {row["row_id"]: index for index, row in enumerate(rows)}
            stored_uids = {str(r.uid) for r in stored}
            fresh = [i for i, row in enumerate(rows) if row["row_id"] not in stored_uids]
            prefix = group.name
            data[f"{prefix}-TOTAL_FORMS"] = str(len(stored) + len(fresh))
            data[f"{prefix}-INITIAL_FORMS"] = str(len(stored))
            data[f"{prefix}-MIN_NUM_FORMS"] = "0"
            data[f"{prefix}-MAX_NUM_FORMS"] = str(layout.MAX_ROWS_PER_GROUP)
            summary = self.sheets[group.name]
            for index, instance in enumerate(stored):
                form_prefix = f"{prefix}-{index}"
                data[f"{form_prefix}-id"] = str(instance.pk)
                row_index = position.get(str(instance.uid))
                if row_index is None:
                    data[f"{form_prefix}-DELETE"] = "on"
                    summary.removed += count
                    continue
                data[f"{form_prefix}-ORDER"] = str(row_index + 1)
                self._fields(data, form_prefix, group, rows[row_index])
                forms_to_rows[(group.name, index)] = row_index
                summary.changed += count
            new_uids[group.name] = {}
            for offset, row_index in enumerate(fresh):
                index = len(stored) + offset
                form_prefix = f"{prefix}-{index}"
                data[f"{form_prefix}-id"] = ""
                data[f"{form_prefix}-ORDER"] = str(row_index + 1)
                self._fields(data, form_prefix, group, rows[row_index])
                forms_to_rows[(group.name, index)] = row_index
                new_uids[group.name][index] = rows[row_index]["row_id"]
                summary.added += count
            if count:
                summary.rows = len(rows)
        return data, forms_to_rows, new_uids

    @staticmethod
    def _fields(data: QueryDict, prefix: str, group: Group, row: dict[str, Any]) -> None:
        for field_ in group.fields:
            name = f"{prefix}-{field_.attribute}"
            value = row.get(field_.code)
            match field_.type:
                case FieldType.MULTICHOICE | FieldType.REF:
                    data.setlist(name, [str(v) for v in value or []])
                case FieldType.FILE:
                    if not value:
                        data[f"{name}-clear"] = "on"
                case FieldType.BOOLEAN:
                    data[name] = "" if value is None else ("true" if value else "false")
                case _:
                    data[name] = "" if value is None else str(value)

    def _forms(
        self, page: SectionPage, forms_to_rows: dict[tuple[str, int], int]
    ) -> list[tuple[Group, Any, int]]:
        found = []
        for (group_name, index), row_index in forms_to_rows.items():
            group = REGISTRY.group(group_name)
            form = page.forms[group_name] if index == -1 else page.formsets[group_name].forms[index]
            found.append((group, form, row_index))
        return found

    def _set_files(self, page: SectionPage, forms_to_rows: dict[tuple[str, int], int]) -> None:
        # A file cell names a stored file (checked by _check_files): it becomes
        # the form's initial value, which an empty upload keeps.
        for group, form, row_index in self._forms(page, forms_to_rows):
            row = self._rows(group)[row_index if group.repeats else 0]
            for field_ in group.fields:
                if field_.type is FieldType.FILE and row.get(field_.code):
                    form.initial[field_.attribute] = row[field_.code]

    def _mark_file_changes(
        self, page: SectionPage, forms_to_rows: dict[tuple[str, int], int]
    ) -> None:
        # A form whose only change is a file name would count as unchanged
        # (no upload) and be skipped by the save.
        for group, form, row_index in self._forms(page, forms_to_rows):
            row = self._rows(group)[row_index if group.repeats else 0]
            for field_ in group.fields:
                if field_.type is not FieldType.FILE:
                    continue
                current = getattr(form.instance, field_.attribute).name or None
                if (
                    row.get(field_.code) or None
                ) != current and field_.attribute not in form.changed_data:
                    form.changed_data.append(field_.attribute)

    def _form_problems(
        self, page: SectionPage, forms_to_rows: dict[tuple[str, int], int]
    ) -> list[Problem]:
        problems: list[Problem] = []
        by_attribute = {
            (g.name, f.attribute): f for g in REGISTRY.groups.values() for f in g.fields
        }
        titles = {s.group.name: s.title for s in layout.sheet_specs()}
        for group, form, row_index in self._forms(page, forms_to_rows):
            key_index = row_index if group.repeats else -1
            for attribute, messages in form.errors.items():
                field_ = by_attribute.get((group.name, attribute))
                where = self.parsed.where(group.name, key_index, field_.code) if field_ else None
                if where is None and group.repeats:
                    where = self.parsed.where(group.name, key_index, layout.ROW_ID)
                for message in messages:
                    problems.append(
                        Problem(
                            "invalid_value",
                            str(message),
                            where.sheet if where else titles[group.name],
                            where.row if where else None,
                            where.column if where and field_ else "",
                            field_.code if field_ else "",
                        )
                    )
        for group_name, formset in page.formsets.items():
            for message in formset.non_form_errors():
                problems.append(Problem("invalid_sheet", str(message), titles[group_name]))
        return problems
