"""The content of versions for comparing them, and which two to compare by default.

A version that has been published is read from its stored snapshot: that is
what the public saw, and one query reads any number of them. Other versions
are read live with `snapshot()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from standards.models import PublishedSnapshot, StandardVersion
from standards.models.standard import VersionState
from standards.snapshot import snapshot

from .note import change_note
from .readable import SectionChanges, readable_diff

# States in which a version can hold a published snapshot (withdrawn: only
# when it was withdrawn after publication).
MAY_HAVE_SNAPSHOT = frozenset(
    {VersionState.PUBLISHED, VersionState.SUPERSEDED, VersionState.WITHDRAWN}
)
# States of versions that were published, for the default "previous published".
WAS_PUBLISHED = frozenset({VersionState.PUBLISHED, VersionState.SUPERSEDED})


def version_contents(versions: Sequence[StandardVersion]) -> dict[int, dict[str, Any]]:
    """Snapshot content by version pk: stored when published, live otherwise."""
    candidates = [v.pk for v in versions if v.state in MAY_HAVE_SNAPSHOT]
    stored: dict[int, Any] = {}
    if candidates:
        stored = dict(
            PublishedSnapshot.objects.filter(version__in=candidates).values_list(
                "version_id", "data"
            )
        )
    return {
        v.pk: stored[v.pk]["content"] if v.pk in stored else snapshot(v)["content"]
        for v in versions
    }


@dataclass(frozen=True)
class Comparison:
    before: StandardVersion
    after: StandardVersion
    sections: list[SectionChanges]
    note: str


def compare_versions(before: StandardVersion, after: StandardVersion) -> Comparison:
    contents = version_contents([before, after])
    old, new = contents[before.pk], contents[after.pk]
    return Comparison(before, after, readable_diff(old, new), change_note(old, new))


def default_before(
    versions: Sequence[StandardVersion], after: StandardVersion
) -> StandardVersion | None:
    """The latest published version before `after`, else the version just before it."""
    earlier = sorted(
        (v for v in versions if v.number < after.number), key=lambda v: v.number, reverse=True
    )
    published = [v for v in earlier if v.state in WAS_PUBLISHED]
    candidates = published or earlier
    return candidates[0] if candidates else None
