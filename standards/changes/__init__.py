"""Changes between versions for people: readable differences, change notes, history.

- `readable`: `standards.diff` results labelled from the registry, by section.
- `note`: a draft public change note in Chinese.
- `versions`: reading versions' contents and comparing two of them.
- `history` (with `records`): a version's timeline of edits, transitions and review rounds.
"""

from .note import change_note
from .readable import FieldChange, GroupChanges, RowChange, SectionChanges, readable_diff
from .versions import Comparison, compare_versions, default_before, version_contents

__all__ = [
    "Comparison",
    "FieldChange",
    "GroupChanges",
    "RowChange",
    "SectionChanges",
    "change_note",
    "compare_versions",
    "default_before",
    "readable_diff",
    "version_contents",
]
