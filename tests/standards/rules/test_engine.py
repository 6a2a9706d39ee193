"""The engine: the rule table, selecting and running rules, findings and their messages."""

import dataclasses
import re

import pytest
from django.utils import translation

import standards.rules
from standards.rules import (
    RULES,
    RULES_BY_ID,
    Finding,
    Issue,
    Rule,
    Severity,
    findings_by_code,
    rule,
    run_rules,
    select,
)

from .edit import FOOD, Edit
from .samples import empty_snapshot, sample

_TABLE_ROW = re.compile(r"^    (?P<id>[RC]\d\d[a-z]?)\s+(?P<severity>blocking|advisory)\*?\s+\S")


def _documented() -> list[tuple[str, str, list[str]]]:
    lines = (standards.rules.__doc__ or "").splitlines()
    rows = []
    for index, line in enumerate(lines):
        if match := _TABLE_ROW.match(line):
            rows.append((match["id"], match["severity"], lines[index + 1].split()))
    return rows


def test_the_package_docstring_documents_every_rule_with_its_severity_and_codes():
    assert _documented() == [(r.id, r.severity.value, list(r.codes)) for r in RULES]


def test_rules_are_ordered_cross_field_first_then_compliance_with_unique_ids():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert ids[0] == "R01a"
    first_compliance = next(i for i, rule_id in enumerate(ids) if rule_id.startswith("C"))
    assert all(rule_id.startswith("R") for rule_id in ids[:first_compliance])
    assert all(rule_id.startswith("C") for rule_id in ids[first_compliance:])


def test_every_readme_cross_field_rule_is_implemented():
    numbers = {int(r.id[1:3]) for r in RULES if r.id.startswith("R")}
    assert numbers == set(range(1, 36))


def test_run_rules_runs_only_the_rules_asked_for():
    edit = Edit(FOOD).set("E06.05", 12).set("E12.12", "周一至周五")
    assert {f.rule_id for f in run_rules(edit.snapshot)} >= {"R01a", "R31a"}
    assert {f.rule_id for f in run_rules(edit.snapshot, rule_ids=["R31a"])} == {"R31a"}


def test_a_family_id_selects_all_its_parts():
    assert [r.id for r in select(["R09"])] == ["R09a", "R09b", "R09c"]
    assert [r.id for r in select(["C01", "R09b"])] == ["R09b", "C01"]


def test_an_unknown_rule_id_is_refused():
    with pytest.raises(KeyError, match="R99"):
        run_rules(sample(FOOD), rule_ids=["R99"])


def test_findings_are_grouped_under_every_code_they_concern():
    edit = Edit(FOOD).set("E06.05", 12).set("E12.12", "周一至周五")
    findings = run_rules(edit.snapshot, rule_ids=["R01a", "R31a"])
    grouped = findings_by_code(findings)
    promised = next(f for f in findings if f.rule_id == "R01a")
    assert grouped["E06.05"] == [promised]
    assert grouped["E06.01"] == [promised]
    assert [f.rule_id for f in grouped["E12.12"]] == ["R31a"]


def test_a_finding_about_a_row_carries_its_row_id_and_group():
    edit = Edit(FOOD).change("material", "mat-application-form", {"E05.18": []})
    (finding,) = run_rules(edit.snapshot, rule_ids=["C05"])
    assert finding.row_id == edit.rid("material", "mat-application-form")
    assert finding.group == "material"
    assert finding.codes == ("E05.18",)
    assert finding.blocking


def test_findings_are_frozen():
    (finding,) = RULES_BY_ID["R31a"].check(Edit(FOOD).set("E12.12", "周一至周五").snapshot)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.severity = Severity.ADVISORY


def test_messages_stay_lazy_and_render_in_the_language_active_when_shown():
    with translation.override("en"):
        (finding,) = RULES_BY_ID["R06a"].check(Edit(FOOD).set("E12.14", None).snapshot)
    with translation.override("en"):
        english = str(finding.message)
    with translation.override("zh-hans"):
        chinese = str(finding.message)
    assert "Mailing address for materials (E12.14)" in english
    assert "材料邮寄地址" in chinese


def test_messages_name_the_row_and_the_values_concerned():
    edit = Edit(FOOD).change("material", "mat-application-form", {"E05.18": []})
    edit.set("E06.05", 12)
    findings = run_rules(edit.snapshot, rule_ids=["C05", "R01a"])
    with translation.override("en"):
        texts = [str(f.message) for f in findings]
    assert any("食品经营许可申请书" in t for t in texts)
    assert any("12 working day(s)" in t and "10 working day(s)" in t for t in texts)


def test_rules_read_a_blank_draft_without_failing():
    findings = run_rules(empty_snapshot())
    assert {f.rule_id for f in findings} <= {r.id for r in RULES}
    assert "R34a" in {f.rule_id for f in findings}
    assert "R33a" in {f.rule_id for f in findings}


def test_rules_tolerate_a_snapshot_missing_groups():
    assert isinstance(run_rules({"content": {}}), list)


def test_a_rule_cannot_name_codes_outside_the_registry():
    with pytest.raises(ValueError, match=r"X99\.99"):
        Rule("R99", "test", ("X99.99",), Severity.BLOCKING, lambda view: [])


def test_a_rule_reporting_a_code_it_does_not_own_is_a_programming_error():
    @rule("R98", "test", codes=["E06.05"])
    def stray(view):
        yield Issue("wrong", ("E06.01",))

    with pytest.raises(ValueError, match="R98"):
        stray.check(sample(FOOD))


def test_the_engine_exports_its_public_names():
    assert Finding is standards.rules.findings.Finding
    assert Severity.BLOCKING == "blocking"
    assert Severity.ADVISORY == "advisory"
