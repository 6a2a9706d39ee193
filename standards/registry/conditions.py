"""The small condition language of the registry's `required_when` column.

A condition decides whether a conditionally required field must be filled.
Grammar (no parentheses; `and` binds tighter than `or`)::

    condition := clause ("or" clause)*
    clause    := test ("and" test)*
    test      := ["any"] CODE OP [VALUE] | "rule" NUMBER
    OP        := "=" | "!=" | "in" | "has" | "has_any" | ">" | ">=" | "filled" | "empty"

Values are codes (`3`, `P04`), `yes`/`no` for booleans, or a tuple `(1, 2)`.
`any CODE ...` holds when some row of a repeating group satisfies the test.
`rule N` marks a requirement that only the cross-field rule N of the domain
README can judge; completeness treats it as not required.

It is parsed, never evaluated as Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

# A lookup gives the values of a field code in the context of one row: one
# value for a field of the same row or a single-valued group, every row's
# value when `every_row` is set.
Lookup = Callable[[str, bool], list[Any]]

_CODE = r"(?:B00|E\d\d|P\d\d|PX|PL)\.\d\d"
_TEST = re.compile(
    rf"^(?P<any>any\s+)?(?P<code>{_CODE})\s+"
    r"(?P<op>!=|>=|=|>|in|has_any|has|filled|empty)"
    r"(?:\s+(?P<value>.+))?$"
)
_RULE = re.compile(r"^rule\s+(?P<number>\d+)$")


class ConditionSyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Test:
    code: str
    op: str
    values: tuple[str, ...]
    any_row: bool

    def holds(self, lookup: Lookup) -> bool:
        found = lookup(self.code, self.any_row)
        return any(self._holds_for(value) for value in found)

    def _holds_for(self, value: Any) -> bool:
        filled = value not in (None, "", [])
        match self.op:
            case "filled":
                return filled
            case "empty":
                return not filled
        if not filled:
            return False
        if self.op in ("has", "has_any"):
            return bool(set(_as_codes(value)) & set(self.values))
        if self.op in (">", ">="):
            number, bound = _number(value), float(self.values[0])
            return number > bound if self.op == ">" else number >= bound
        code = _as_code(value)
        if self.op == "!=":
            return code not in self.values
        return code in self.values  # "=" and "in"


@dataclass(frozen=True)
class Condition:
    """A parsed `required_when` expression."""

    source: str
    clauses: tuple[tuple[Test, ...], ...]
    rule: int | None = None

    @property
    def codes(self) -> set[str]:
        return {test.code for clause in self.clauses for test in clause}

    def holds(self, lookup: Lookup) -> bool:
        if self.rule is not None:
            return False
        return any(all(test.holds(lookup) for test in clause) for clause in self.clauses)


def parse(source: str) -> Condition:
    text = " ".join(source.split())
    rule = _RULE.match(text)
    if rule:
        return Condition(source=text, clauses=(), rule=int(rule["number"]))
    clauses = tuple(
        tuple(_parse_test(part) for part in clause.split(" and ")) for clause in text.split(" or ")
    )
    return Condition(source=text, clauses=clauses)


def _parse_test(text: str) -> Test:
    match = _TEST.match(text.strip())
    if not match:
        raise ConditionSyntaxError(f"Cannot read condition test {text!r}")
    op, raw = match["op"], (match["value"] or "").strip()
    if op in ("filled", "empty"):
        if raw:
            raise ConditionSyntaxError(f"{op!r} takes no value in {text!r}")
        values: tuple[str, ...] = ()
    elif raw.startswith("("):
        if not raw.endswith(")"):
            raise ConditionSyntaxError(f"Unclosed value list in {text!r}")
        values = tuple(v.strip() for v in raw[1:-1].split(",") if v.strip())
    elif raw:
        values = (raw,)
    else:
        raise ConditionSyntaxError(f"{op!r} needs a value in {text!r}")
    if op in (">", ">="):
        try:
            float(values[0])
        except ValueError as error:
            raise ConditionSyntaxError(f"{op!r} needs a number in {text!r}") from error
    return Test(code=match["code"], op=op, values=values, any_row=bool(match["any"]))


def _as_code(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def _as_codes(value: Any) -> Iterable[str]:
    if isinstance(value, list | tuple | set):
        return [_as_code(v) for v in value]
    return [_as_code(value)]


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")
