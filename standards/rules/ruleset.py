"""All rules, in one ordered tuple, and running them.

Rules are declared next to their code (`@rule(...)` in `crossfield/` and
`compliance/`); this module collects them, checks their ids are unique and
orders them: the README's cross-field rules first (R01a … R35), then the
compliance checks (C01 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import ModuleType

from standards.snapshot import Snapshot

from . import compliance, crossfield
from .engine import Rule, run
from .findings import Finding

_ID = re.compile(r"^(?P<family>[RC])(?P<number>\d+)(?P<part>[a-z]?)$")


def _order(rule: Rule) -> tuple[int, int, str]:
    match = _ID.match(rule.id)
    if not match:
        raise ValueError(f"Rule id {rule.id!r} is not like R01a or C01")
    return ("RC".index(match["family"]), int(match["number"]), match["part"])


def family(rule_id: str) -> str:
    """The id without its letter: R09b → R09."""
    return rule_id.rstrip("abcdefghijklmnopqrstuvwxyz")


def _collect(modules: Iterable[ModuleType]) -> tuple[Rule, ...]:
    found = [
        value for module in modules for value in vars(module).values() if isinstance(value, Rule)
    ]
    ids = [r.id for r in found]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"Rule ids declared twice: {sorted(duplicates)}")
    return tuple(sorted(found, key=_order))


RULES: tuple[Rule, ...] = _collect((*crossfield.MODULES, *compliance.MODULES))
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}


def select(rule_ids: Iterable[str]) -> list[Rule]:
    """The rules named by id, in RULES order; a family id (R09) names all its parts."""
    wanted = set(rule_ids)
    unknown = {
        i for i in wanted if i not in RULES_BY_ID and not any(family(r.id) == i for r in RULES)
    }
    if unknown:
        raise KeyError(f"Unknown rule id(s): {', '.join(sorted(unknown))}")
    return [r for r in RULES if r.id in wanted or family(r.id) in wanted]


def run_rules(snapshot: Snapshot, *, rule_ids: Iterable[str] | None = None) -> list[Finding]:
    """Every finding of the rules (all, or those named) on `snapshot`, in rule order."""
    rules = RULES if rule_ids is None else select(rule_ids)
    return run(rules, snapshot)
