"""Rules and how they run.

A rule's inspect function reads a `View` of the snapshot and yields `Issue`s:
what is wrong, the field codes and, for a repeating group, the row. `Rule.check`
turns them into `Finding`s stamped with the rule's id and severity, so the rule
modules only say what they look at and what they find.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from standards.registry import REGISTRY
from standards.snapshot import Snapshot

from .findings import Finding, Severity, Text
from .view import Row, View


@dataclass(frozen=True)
class Issue:
    message: Text
    codes: tuple[str, ...]
    row_id: str | None = None
    group: str | None = None
    # None: the rule's own severity. Time comparisons across units lower it to advisory.
    severity: Severity | None = None


def issue(
    message: Text, *codes: str, row: Row | None = None, severity: Severity | None = None
) -> Issue:
    """An issue with `codes`; about `row` when given (its group is read off the row's codes)."""
    if row is None:
        return Issue(message, codes, severity=severity)
    group = next(REGISTRY[code].group for code in row if code != "row_id")
    return Issue(message, codes, row.get("row_id"), group, severity)


Inspect = Callable[[View], Iterable[Issue]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: Text
    # Every field code the rule reads or reports; each finding's codes are among them.
    codes: tuple[str, ...]
    severity: Severity
    inspect: Inspect
    # Where the rule comes from, e.g. "README cross-field rule 9".
    reference: str = ""

    def __post_init__(self) -> None:
        known = {field.code for field in REGISTRY}
        unknown = [code for code in self.codes if code not in known]
        if unknown:
            raise ValueError(f"Rule {self.id} names unknown field codes {unknown}")

    def check(self, snapshot: Snapshot | View) -> list[Finding]:
        view = snapshot if isinstance(snapshot, View) else View(snapshot)
        findings = []
        for found in self.inspect(view):
            stray = set(found.codes) - set(self.codes)
            if stray or not found.codes:
                # A programming slip in the rule: the form could not place the finding.
                raise ValueError(f"Rule {self.id} reported codes {sorted(stray)} it does not own")
            findings.append(
                Finding(
                    rule_id=self.id,
                    severity=found.severity or self.severity,
                    message=found.message,
                    codes=found.codes,
                    row_id=found.row_id,
                    group=found.group,
                )
            )
        return findings


def rule(
    id: str,
    title: Text,
    *,
    codes: Sequence[str],
    severity: Severity = Severity.BLOCKING,
    reference: str = "",
) -> Callable[[Inspect], Rule]:
    """Declare a rule next to its inspect function: `@rule("R01a", _("..."), codes=[...])`."""

    def declare(inspect: Inspect) -> Rule:
        return Rule(id, title, tuple(codes), severity, inspect, reference)

    return declare


def run(rules: Iterable[Rule], snapshot: Snapshot | View) -> list[Finding]:
    view = snapshot if isinstance(snapshot, View) else View(snapshot)
    return [finding for r in rules for finding in r.check(view)]


def findings_by_code(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings under each field code they concern (a finding may sit under several)."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        for code in dict.fromkeys(finding.codes):
            grouped.setdefault(code, []).append(finding)
    return grouped


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]
