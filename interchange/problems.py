"""Problems found in an uploaded workbook, each at its sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the workbook. `code` is stable for tests and tools."""

    code: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    field_code: str = ""

    @property
    def cell(self) -> str:
        """The cell address (e.g. "D7"), or the row or column alone when that is all there is."""
        if self.column and self.row:
            return f"{self.column}{self.row}"
        if self.row:
            return str(self.row)
        return self.column


class ImportRefused(Exception):
    """The workbook cannot be imported; nothing was written. `problems` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems[:5]))
        self.problems = problems
