"""Properties of `standards.diff.diff_content`, on contents built as plain dicts.

A content's diff with itself is empty; after a random edit (fields changed in
single-valued groups; rows added, removed, edited and reordered in repeating
groups) every change made is in the diff and nothing else is.
"""

import copy
import json
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standards.diff import ChangeKind, diff_content
from standards.registry import REGISTRY, FieldType

SINGLE = [REGISTRY.group(name) for name in ("fee", "acceptance_scope", "time_limit")]
REPEATING = [REGISTRY.group(name) for name in ("faq", "fee_item", "legal_basis")]
GROUPS = SINGLE + REPEATING
ROW_IDS = [f"row-{n}" for n in range(8)]

# Small value pools, so that "changed to the same value" and the empty forms
# (None, "" and [] are all empty to the diff) come up often.
TEXT = st.sampled_from([None, "", "甲", "乙", "<b>丙</b>"])


def value_of(field):
    match field.type:
        case FieldType.CHOICE:
            return st.none() | st.sampled_from(REGISTRY.codelist(field.codelist).values[:3])
        case FieldType.MULTICHOICE:
            codes = REGISTRY.codelist(field.codelist).values[:3]
            return st.lists(st.sampled_from(codes), unique=True, max_size=2)
        case FieldType.BOOLEAN:
            return st.none() | st.booleans()
        case FieldType.INTEGER | FieldType.DURATION:
            return st.none() | st.integers(0, 3)
        case FieldType.DATE:
            return st.sampled_from([None, "2026-01-01", "2026-07-01"])
        case FieldType.FILE:
            return st.sampled_from([None, "a.pdf", "b.pdf"])
        case FieldType.REF:
            return st.lists(st.sampled_from(ROW_IDS[:3]), unique=True, max_size=2)
    return TEXT


def values_of(group):
    return st.fixed_dictionaries({f.code: value_of(f) for f in group.fields})


@st.composite
def contents(draw):
    content = {group.name: draw(values_of(group)) for group in SINGLE}
    for group in REPEATING:
        ids = draw(st.lists(st.sampled_from(ROW_IDS[:5]), unique=True, max_size=4))
        content[group.name] = [{"row_id": i, **draw(values_of(group))} for i in ids]
    return content


def empty(value):
    return value in (None, "", [])


def differs(field, a, b):
    """What the diff counts as a change: empty forms are equal; a reference is a set."""

    def comparable(value):
        if empty(value):
            return None
        return frozenset(value) if field.type is FieldType.REF else value

    return comparable(a) != comparable(b)


def key(kind, group, code=None, row_id=None, before=None, after=None):
    return (str(kind), group, code, row_id, json.dumps([before, after], sort_keys=True))


def edit_fields(draw, group, values, row_id, expected):
    """Change a random subset of fields; note each real change."""
    edited = dict(values)
    for field in group.fields:
        if draw(st.booleans()):
            new = draw(value_of(field))
            if differs(field, values[field.code], new):
                expected.append(
                    key(ChangeKind.CHANGED, group.name, field.code, row_id, values[field.code], new)
                )
            edited[field.code] = new
    return edited


def edit_rows(draw, group, rows, expected):
    kept = [row for row in rows if draw(st.booleans())]
    for row in rows:
        if row not in kept:
            expected.append(key(ChangeKind.REMOVED, group.name, row_id=row["row_id"], before=row))
    edited = [
        {"row_id": row["row_id"], **edit_fields(draw, group, _values(row), row["row_id"], expected)}
        for row in kept
    ]
    edited = draw(st.permutations(edited))
    fresh_ids = [i for i in ROW_IDS if i not in {row["row_id"] for row in rows}]
    for row_id in draw(st.lists(st.sampled_from(fresh_ids), unique=True, max_size=2)):
        row = {"row_id": row_id, **draw(values_of(group))}
        edited.insert(draw(st.integers(0, len(edited))), row)
        expected.append(key(ChangeKind.ADDED, group.name, row_id=row_id, after=row))
    return edited


def _values(row):
    return {code: value for code, value in row.items() if code != "row_id"}


@st.composite
def edits(draw):
    before = draw(contents())
    after, expected = {}, []
    for group in SINGLE:
        after[group.name] = edit_fields(draw, group, before[group.name], None, expected)
    for group in REPEATING:
        after[group.name] = edit_rows(draw, group, before[group.name], expected)
    return before, after, expected


QUICK = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(contents())
def test_a_content_has_no_differences_with_itself(content):
    assert diff_content(content, copy.deepcopy(content)) == []
    assert diff_content(content, copy.deepcopy(content), GROUPS) == []


@QUICK
@given(edits())
def test_every_change_made_is_in_the_diff_and_nothing_else(edit):
    before, after, expected = edit
    changes = diff_content(before, after, GROUPS)

    found = [
        key(c.kind, c.group, c.code, c.row_id, c.before, c.after)
        for c in changes
        if c.kind is not ChangeKind.MOVED
    ]
    assert Counter(found) == Counter(expected)

    for group in REPEATING:
        old = [row["row_id"] for row in before[group.name]]
        new = [row["row_id"] for row in after[group.name]]
        kept_old = [i for i in old if i in new]
        kept_new = [i for i in new if i in old]
        moved = {
            c.row_id: (c.before, c.after)
            for c in changes
            if c.kind is ChangeKind.MOVED and c.group == group.name
        }
        # A row is reported moved exactly when its place among the kept rows
        # changed, with its old and new places.
        assert set(moved) <= set(kept_new)
        for row_id in kept_new:
            places = (kept_old.index(row_id), kept_new.index(row_id))
            if places[0] != places[1]:
                assert moved.get(row_id) == places
            else:
                assert row_id not in moved


@QUICK
@given(contents(), contents())
def test_the_diff_of_any_two_contents_names_only_known_groups_fields_and_rows(a, b):
    for change in diff_content(a, b, GROUPS):
        group = REGISTRY.group(change.group)
        assert group in GROUPS
        if change.kind is ChangeKind.CHANGED:
            assert change.code in {f.code for f in group.fields}
            assert differs(REGISTRY[change.code], change.before, change.after)
        if group.repeats:
            assert change.row_id in {r["row_id"] for r in a[group.name] + b[group.name]}
        else:
            assert change.row_id is None
