"""Atom feeds of publications: every department's, and one department's.

Entries are read from published snapshots only (the `standard` part: item,
department, version and change note — never content fields, so nothing of the
internal business manual can appear). One query per feed, whatever the number
of entries. A withdrawn version leaves the feed: it is no longer in force.

Escaping: Atom titles are plain text (the XML writer escapes them); summaries
are HTML, so every value is HTML-escaped before the XML writer escapes again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.translation import gettext as _

from standards.models import Department, PublishedSnapshot, StandardVersion

ENTRIES = 50
# Entry ids are name-based UUIDs of "basic code/department code/version", so they
# never change and do not depend on database keys.
ENTRY_NAMESPACE = uuid.UUID("6f1c3a52-5d7e-4c1b-9a4e-2b7d9e0c8f31")


@dataclass(frozen=True)
class Entry:
    basic_code: str
    item_name: str
    department_code: str
    department_name: str
    number: int
    change_note: str | None
    published_at: datetime
    sha256: str


def publications(department: Department | None = None) -> list[Entry]:
    queryset = PublishedSnapshot.objects.exclude(
        version__state=StandardVersion.State.WITHDRAWN
    ).order_by("-published_at", "-pk")
    if department is not None:
        queryset = queryset.filter(version__standard__department=department)
    rows = queryset.values("published_at", "sha256", "data__standard")[:ENTRIES]
    return [_entry(row) for row in rows]


def _entry(row: Mapping[str, Any]) -> Entry:
    meta = row["data__standard"]
    return Entry(
        basic_code=meta["item"]["basic_code"],
        item_name=meta["item"]["name"],
        department_code=meta["department"]["code"],
        department_name=meta["department"]["name"],
        number=meta["version"]["number"],
        change_note=meta["version"].get("change_note"),
        published_at=row["published_at"],
        sha256=row["sha256"],
    )


class PublicationsFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Published approval-item standards")

    def subtitle(self) -> str:
        return _("New and revised standards as they are published.")

    def link(self) -> str:
        return reverse("guides:home")

    def items(self) -> list[Entry]:
        return publications()

    def item_title(self, item: Entry) -> str:
        return item.item_name

    def item_description(self, item: Entry) -> str:
        summary = format_html(
            "<p>{}：{}</p><p>{}</p>",
            _("Department"),
            item.department_name,
            _("Version %(number)s") % {"number": item.number},
        )
        if item.change_note:
            summary += format_html("<p>{}：{}</p>", _("Changes"), item.change_note)
        return str(summary)

    def item_link(self, item: Entry) -> str:
        return reverse("guides:guide", args=[item.basic_code, item.department_code])

    def item_guid(self, item: Entry) -> str:
        name = f"{item.basic_code}/{item.department_code}/v{item.number}"
        return uuid.uuid5(ENTRY_NAMESPACE, name).urn

    def item_guid_is_permalink(self, item: Entry) -> bool:
        return False

    def item_pubdate(self, item: Entry) -> datetime:
        return item.published_at

    def item_updateddate(self, item: Entry) -> datetime:
        return item.published_at

    def item_author_name(self, item: Entry) -> str:
        return item.department_name

    def item_categories(self, item: Entry) -> list[str]:
        return [item.department_name]


class DepartmentPublicationsFeed(PublicationsFeed):
    def get_object(self, request: HttpRequest, department_code: str) -> Department:
        return get_object_or_404(Department, code=department_code)

    def title(self, obj: Department) -> str:  # type: ignore[override]
        return _("Standards published by %(department)s") % {"department": obj.name}

    def items(self, obj: Department) -> list[Entry]:  # type: ignore[override]
        return publications(obj)
