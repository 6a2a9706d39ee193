"""A draft of the public change note, written from the differences.

The note is published with the version for applicants, so it is always in
Chinese (whatever the editor's language) and speaks only of what applicants
see: fields and groups that appear in the service guide. Limits are compared
in working days, so "1 个月 → 20 个工作日" reads as shortened. The same two
contents always give the same note.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation

from standards.diff import Change, ChangeKind, diff_content
from standards.registry import REGISTRY, Field, FieldType, Group

from .durations import duration_pairs, format_duration, in_working_days
from .readable import group_label
from .values import Content, is_empty, row_name, same_references

FEE_CHARGED = "E08.01"  # 是否收费 of the approval itself
FEE_STANDARD = "E08.04"  # 收费标准 of a fee item
MAX_LABELS = 5
SEPARATOR = "；"


def change_note(before_content: Content, after_content: Content) -> str:
    """The note, e.g. "申请材料减少 2 项；承诺办结时限由 20 个工作日缩短为 10 个工作日".

    Empty when nothing an applicant sees has changed.
    """
    with translation.override("zh-hans"):
        changes = diff_content(dict(before_content), dict(after_content))
        remaining = _row_ids(after_content)
        phrases: list[str] = []
        for group in REGISTRY.groups.values():
            mine = [c for c in changes if c.group == group.name]
            if not mine or not any(f.in_guide for f in group.fields):
                continue
            old, new = before_content.get(group.name), after_content.get(group.name)
            if group.repeats:
                phrases += _row_phrases(group, mine, old or [], new or [], remaining)
            else:
                codes = {str(c.code) for c in mine}
                phrases += _field_phrases(group, codes, old or {}, new or {}, prefix="")
                others = _other_labels(group, codes, old or {}, new or {}, remaining)
                if others:
                    phrases.append(f"调整{group_label(group)}的{_labels(others)}")
        return SEPARATOR.join(phrases)


def _row_phrases(
    group: Group,
    changes: list[Change],
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    remaining: dict[str, set[str]],
) -> list[str]:
    label = group_label(group)
    added = sum(1 for c in changes if c.kind is ChangeKind.ADDED)
    removed = sum(1 for c in changes if c.kind is ChangeKind.REMOVED)
    phrases = []
    if added and removed:
        phrases.append(f"{label}新增 {added} 项、减少 {removed} 项")
    elif added:
        phrases.append(f"新增{label} {added} 项")
    elif removed:
        phrases.append(f"{label}减少 {removed} 项")

    codes_by_row: dict[str, set[str]] = {}
    for change in changes:
        if change.kind is ChangeKind.CHANGED:
            codes_by_row.setdefault(str(change.row_id), set()).add(str(change.code))
    old_rows = {row["row_id"]: row for row in old}
    other_labels: list[str] = []
    rows_with_others = 0
    # In the new order of the rows, so the note reads like the standard.
    for index, row in enumerate(new):
        codes = codes_by_row.get(row["row_id"])
        if not codes:
            continue
        before = old_rows[row["row_id"]]
        prefix = f"{label}「{row_name(group, row, index)}」"
        phrases += _field_phrases(group, codes, before, row, prefix=prefix)
        others = _other_labels(group, codes, before, row, remaining)
        if others:
            rows_with_others += 1
            other_labels += [x for x in others if x not in other_labels]
    if rows_with_others:
        phrases.append(f"调整{label} {rows_with_others} 项（{_labels(other_labels)}）")
    if any(c.kind is ChangeKind.MOVED for c in changes):
        phrases.append(f"调整{label}的排列顺序")
    return phrases


def _field_phrases(
    group: Group, codes: set[str], old: Mapping[str, Any], new: Mapping[str, Any], *, prefix: str
) -> list[str]:
    """Phrases for the changes a reader looks for: time limits and fees."""
    phrases = []
    for code, unit in duration_pairs(group).items():
        field = REGISTRY[code]
        if field.in_guide and (code in codes or unit.code in codes):
            phrase = _duration_phrase(f"{prefix}{field.label_zh}", field, unit, old, new)
            if phrase:
                phrases.append(phrase)
    if FEE_CHARGED in codes:
        phrases.append(_charged_phrase(new.get(FEE_CHARGED)))
    if FEE_STANDARD in codes:
        phrases.append(_fee_standard_phrase(prefix, old.get(FEE_STANDARD), new.get(FEE_STANDARD)))
    return phrases


def _duration_phrase(
    label: str, field: Field, unit: Field, old: Mapping[str, Any], new: Mapping[str, Any]
) -> str:
    old_number, old_unit = old.get(field.code), old.get(unit.code)
    new_number, new_unit = new.get(field.code), new.get(unit.code)
    before = format_duration(old_number, unit, old_unit)
    after = format_duration(new_number, unit, new_unit)
    if before == after:
        return ""
    if is_empty(old_number) and is_empty(old_unit):
        return f"{label}设定为{_spaced(after)}"
    if is_empty(new_number) and is_empty(new_unit):
        return f"{label}不再规定（原为{_spaced(before)}）"
    old_days = in_working_days(old_number, unit, old_unit)
    new_days = in_working_days(new_number, unit, new_unit)
    verb = "调整为"
    if old_days is not None and new_days is not None and old_days != new_days:
        verb = "缩短为" if new_days < old_days else "延长为"
    return f"{label}由{_spaced(before)}{verb}{_spaced(after)}"


def _charged_phrase(after: Any) -> str:
    if after is None:
        return "不再列明是否收费"
    return "审批改为收费" if after else "审批改为不收费"


def _fee_standard_phrase(prefix: str, before: Any, after: Any) -> str:
    label = f"{prefix}收费标准"
    if is_empty(before):
        return f"{label}设定为“{after}”"
    if is_empty(after):
        return f"{label}不再列明（原为“{before}”）"
    return f"{label}由“{before}”调整为“{after}”"


def _other_labels(
    group: Group,
    codes: set[str],
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    remaining: dict[str, set[str]],
) -> list[str]:
    """Labels of the changed public fields that no special phrase covers."""
    pairs = duration_pairs(group)
    covered = {*pairs, *(unit.code for unit in pairs.values()), FEE_CHARGED, FEE_STANDARD}
    labels = []
    for field in group.fields:
        if field.code not in codes or field.code in covered or not field.in_guide:
            continue
        if field.type is FieldType.REF and _follows_removals(
            old.get(field.code), new.get(field.code), remaining.get(field.ref_group, set())
        ):
            continue
        labels.append(field.label_zh)
    return labels


def _follows_removals(before: Any, after: Any, remaining: set[str]) -> bool:
    """Whether a reference changed only by losing rows that were removed.

    Removing a material drops it from every condition that named it; the note
    already says the material was removed, so those references are not news.
    """
    kept = [row_id for row_id in before or [] if row_id in remaining]
    return same_references(kept, after)


def _row_ids(content: Content) -> dict[str, set[str]]:
    return {
        group.name: {str(row["row_id"]) for row in content.get(group.name) or []}
        for group in REGISTRY.groups.values()
        if group.repeats
    }


def _labels(labels: list[str]) -> str:
    if len(labels) <= MAX_LABELS:
        return "、".join(labels)
    return f"{'、'.join(labels[:MAX_LABELS])}等 {len(labels)} 项"


def _spaced(text: str) -> str:
    """A space before a number, none before a word: "由 20 个工作日", "由长期"."""
    return f" {text}" if text[:1].isdigit() else text
