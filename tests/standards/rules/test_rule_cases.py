"""Every rule: a case it flags (with the right codes, row and severity) and one it passes."""

import pytest
from django.utils import translation

from standards.rules import RULES, RULES_BY_ID, Finding

from .cases_compliance import FAILS as COMPLIANCE_FAILS
from .cases_compliance import PASSES as COMPLIANCE_PASSES
from .cases_crossfield import FAILS as CROSSFIELD_FAILS
from .cases_crossfield import PASSES as CROSSFIELD_PASSES
from .edit import Edit, Fails, Passes, unchanged

FAILS = CROSSFIELD_FAILS + COMPLIANCE_FAILS
PASSES = CROSSFIELD_PASSES + COMPLIANCE_PASSES


def _findings(case: Fails | Passes) -> tuple[Edit, list[Finding]]:
    edit = Edit(case.sample)
    case.change(edit)
    return edit, RULES_BY_ID[case.rule_id].check(edit.snapshot)


@pytest.mark.parametrize("case", FAILS, ids=[f"{c.rule_id}: {c.says}" for c in FAILS])
def test_each_rule_flags_its_failing_case(case):
    edit, findings = _findings(case)
    expected_row = edit.rid(*case.row) if case.row else None
    matching = [f for f in findings if set(case.codes) <= set(f.codes) and f.row_id == expected_row]
    assert matching, [(f.codes, f.row_id, str(f.message)) for f in findings]
    finding = matching[0]
    assert finding.rule_id == case.rule_id
    assert finding.severity == case.severity
    assert finding.group == (case.row[0] if case.row else None)


@pytest.mark.parametrize(
    "case",
    [c for c in FAILS if c.change is not unchanged],
    ids=[f"{c.rule_id}: {c.says}" for c in FAILS if c.change is not unchanged],
)
def test_each_failing_case_is_caused_by_its_change(case):
    edit = Edit(case.sample)
    expected_row = edit.rid(*case.row) if case.row else None
    before = RULES_BY_ID[case.rule_id].check(edit.snapshot)
    assert not [f for f in before if set(case.codes) <= set(f.codes) and f.row_id == expected_row]


@pytest.mark.parametrize("case", PASSES, ids=[f"{c.rule_id}: {c.says}" for c in PASSES])
def test_each_rule_passes_its_passing_case(case):
    _edit, findings = _findings(case)
    assert [str(f.message) for f in findings] == []


def test_every_rule_has_a_failing_and_a_passing_case():
    ids = [r.id for r in RULES]
    assert sorted({c.rule_id for c in FAILS}) == sorted(ids)
    assert sorted({c.rule_id for c in PASSES}) == sorted(ids)


@pytest.mark.parametrize("case", FAILS, ids=[f"{c.rule_id}: {c.says}" for c in FAILS])
def test_every_finding_renders_a_complete_message_in_both_languages(case):
    _edit, findings = _findings(case)
    for finding in findings:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                text = str(finding.message)
            assert text and "%(" not in text, text
        assert set(finding.codes) <= set(RULES_BY_ID[case.rule_id].codes)
