"""The editor's navigation column: sections in order, each with its meter and findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from standards.models import StandardVersion
from standards.registry import REGISTRY, Section

# Headings of the navigation, in the order the sections come.
PARTS = (
    (_("Basic information"), ("B00",)),
    (_("Approval elements"), tuple(f"E{n:02d}" for n in range(1, 14))),
    (_("General processes"), tuple(f"P{n:02d}" for n in range(1, 9))),
    (_("Other processes"), ("PX",)),
    (_("Link benchmarks"), ("PL",)),
)


@dataclass(frozen=True)
class NavItem:
    section: Section
    filled: int
    required: int
    blocking: int
    advisory: int
    current: bool

    @property
    def percent(self) -> int:
        return 100 if self.required == 0 else self.filled * 100 // self.required


def editor_navigation(
    version: StandardVersion, current: Section, findings: list[Any]
) -> list[tuple[Any, list[NavItem]]]:
    counts: dict[str, list[int]] = {}
    for finding in findings:
        sections = {REGISTRY[code].section for code in finding.codes}
        for code in sections:
            bucket = counts.setdefault(code, [0, 0])
            bucket[0 if finding.severity == "blocking" else 1] += 1
    by_code = {s.code: s for s in REGISTRY.sections}
    parts = []
    for title, codes in PARTS:
        items = []
        for code in codes:
            filled, required = version.completeness.get(code, [0, 0])
            blocking, advisory = counts.get(code, [0, 0])
            items.append(
                NavItem(by_code[code], filled, required, blocking, advisory, code == current.code)
            )
        parts.append((title, items))
    return parts
