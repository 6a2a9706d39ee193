"""Publishing, comparing, the guide page and the editor, at the source article's scale.

    DEBUG=true .venv/bin/python bench/scale_bench.py

Works on a copy of the seeded database (`bench/seed_scale.py`: 1,173
provincial items with published standards, 1,930 adopted city and county
standards), in this process, through the product's code:

- **publish (without PDF)**: the largest sample, 建筑工程施工许可证核发, waits
  in review after seeding; it is carried through the workflow and published
  three times (v1, then two new drafts with a few edits). Only
  `workflow.publish` is timed, its after-commit work included (search index,
  cache generation, webhooks, adopters); the task queue is the dummy one, so
  no PDF is rendered.
- **diff of two full versions**: `compare_versions` of v1 and v2 (readable
  diff and change note, from the stored snapshots), and of two different
  samples, where every row differs.
- **uncached guide page**: the anonymous page of that standard (three
  versions) through the test client, the cache emptied before each request.
- **editor page and section save**: two drafts of the same provincial
  department (copies made at seeding), one with N = 50 materials and 50
  conditions, one with 2N = 100; the materials section (E05) opened, then saved
  with one material renamed, as a browser posts it (the formset of every row).

Times are medians; query counts are the fewest of the timed requests (a
signed-in request writes the session's idle clock once a minute). Targets come from the
issues (guide ≤ 3 queries; the diff ≤ 3 queries; editor pages and saves the
same queries for N and 2N rows, pages ≤ 30); where none was set, the target
is "report". `run()` returns the figures; nothing is asserted.
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

# `python bench/x.py` and `make bench` alike import the other bench modules by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import database
import seed_scale

LARGEST = ("010080001000", "440000-zjt")  # 建筑工程施工许可证核发, 广东省住房和城乡建设厅
OTHER = ("010020001000", "440000-jyt")  # 民办学校设立审批, for a diff where every row differs
STAFF, LEADER, REVIEWER = "province_staff", "province_leader", "reviewer"
N_ROWS = 50
EDITOR_SECTION = "E05"
# The repeating groups grown to N and 2N rows, and the text made distinct in each copy.
SCALED_GROUPS = {"material": "name", "condition": "condition_text"}
TARGET_GUIDE_QUERIES = 3
TARGET_DIFF_QUERIES = 3
TARGET_EDITOR_QUERIES = 30


def run(rounds: int = 3) -> list[dict[str, Any]]:
    # Local memory as the cache: the guide is measured uncached, and emptying
    # a shared Redis would empty someone else's cache.
    os.environ["REDIS_URL"] = ""
    with seed_scale.seeded_copy("scale") as url:
        database.setup_django(url)
        scale = seed_scale.counts()
        versions, figures = _publish(rounds=3)
        figures += _diff([v.__class__.objects.get(pk=v.pk) for v in versions], rounds=20)
        figures += _guide(rounds=10)
        figures += _editor(rounds)
        database.close_django_connections()
    at_scale = (
        f"{scale['provincial items published']:,} provincial + "
        f"{scale['adopted standards']:,} adopted standards"
    )
    for figure in figures:
        figure["note"] = "; ".join(filter(None, [figure["note"], at_scale]))
    return figures


# Publish and diff -------------------------------------------------------------


def _users() -> dict[str, Any]:
    from standards.models import User

    return {u.username: u for u in User.objects.filter(username__in=[STAFF, LEADER, REVIEWER])}


def _publish(rounds: int) -> tuple[list[Any], list[dict[str, Any]]]:
    """Publish the largest sample `rounds` times; returns its versions and the figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from standards.models import StandardVersion
    from standards.services import workflow
    from standards.services.drafting import new_draft_from

    users = _users()
    version = StandardVersion.objects.get(
        standard__item__basic_code=LARGEST[0], standard__department__code=LARGEST[1], number=1
    )
    workflow.start_review(version=version, user=users[REVIEWER])
    published: list[Any] = []
    times: list[float] = []
    queries = 0
    for round_ in range(rounds):
        if round_:
            version = new_draft_from(version=published[-1], user=users[STAFF])
            _edit(version, round_)
            workflow.submit(version=version, user=users[STAFF])
            workflow.start_review(version=version, user=users[REVIEWER])
        workflow.approve_filing(version=version, user=users[REVIEWER], reason="予以备案。")
        workflow.confirm(version=version, user=users[LEADER])
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            version = workflow.publish(version=version, user=users[LEADER])
            times.append(time.perf_counter() - start)
        queries = len(captured.captured_queries)
        published.append(version)
    name = version.standard.item.name
    return published, [
        _figure(f"publish without PDF ({name})", _ms(statistics.median(times)), "ms", "report",
                True, f"median of {rounds} (v1–v{rounds}); after-commit work included"),
        _figure("publish queries", queries, "queries", "report", True,
                "snapshot, supersede, transitions, notifications, search index, citations"),
    ]  # fmt: skip


def _edit(version: Any, round_: int) -> None:
    """A reviser's small changes: two texts reworded, two materials swapped."""
    from standards.registry import REGISTRY
    from standards.services.drafting import refresh_progress

    for group, name in SCALED_GROUPS.items():
        model, attribute = REGISTRY.group(group).model, REGISTRY.field(group, name).attribute
        row = model._default_manager.filter(version=version).first()
        setattr(row, attribute, f"{getattr(row, attribute)}（第{round_ + 1}版修订）")
        row.save(update_fields=[attribute])
    materials = list(REGISTRY.group("material").model._default_manager.filter(version=version))
    first, second = materials[0], materials[1]
    first.position, second.position = second.position, first.position
    first.save(update_fields=["position"])
    second.save(update_fields=["position"])
    refresh_progress(version)


def _diff(versions: list[Any], rounds: int) -> list[dict[str, Any]]:
    from standards.changes.versions import compare_versions
    from standards.models import StandardVersion

    other = StandardVersion.objects.get(
        standard__item__basic_code=OTHER[0], standard__department__code=OTHER[1], number=1
    )
    figures = []
    for before, after, label in (
        (versions[0], versions[1], "v1 → v2 of the largest sample"),
        (versions[0], other, "two different samples, every row differs"),
    ):
        comparison = compare_versions(before, after)
        changes = sum(len(g.fields) + len(g.rows) for s in comparison.sections for g in s.groups)
        seconds, queries = _timed(partial(compare_versions, before, after), rounds)
        figures.append(
            _figure(f"diff of two full versions ({label})", _ms(seconds), "ms", "report", True,
                    f"median of {rounds}; {changes} changed fields and rows; change note included")
        )  # fmt: skip
        figures.append(
            _figure(f"diff queries ({label})", queries, "queries", f"≤ {TARGET_DIFF_QUERIES}",
                    queries <= TARGET_DIFF_QUERIES, "")
        )  # fmt: skip
    return figures


# Guide page -------------------------------------------------------------------


def _guide(rounds: int) -> list[dict[str, Any]]:
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    client = Client()
    url = reverse("guides:guide", args=LARGEST)
    statuses = set()

    def fresh() -> None:
        cache.clear()
        statuses.add(client.get(url).status_code)

    fresh()  # templates and fonts loaded once, as in a running server
    seconds, queries = _timed(fresh, rounds)
    ok = statuses == {200}
    return [
        _figure("uncached guide page (largest sample, 3 versions)", _ms(seconds), "ms", "report",
                ok, f"median of {rounds}, cache emptied before each; HTTP {sorted(statuses)}"),
        _figure("uncached guide page queries", queries, "queries", f"≤ {TARGET_GUIDE_QUERIES}",
                ok and queries <= TARGET_GUIDE_QUERIES, "anonymous visitor"),
    ]  # fmt: skip


# Editor -------------------------------------------------------------------------


def _editor(rounds: int) -> list[dict[str, Any]]:
    from django.test import Client
    from django.urls import reverse

    users = _users()
    client = Client()
    client.force_login(users[STAFF])
    drafts = _drafts(users[STAFF], [N_ROWS, 2 * N_ROWS])
    figures: list[dict[str, Any]] = []
    measured: dict[str, dict[int, int]] = {"page": {}, "save": {}}
    for rows, draft in drafts.items():
        url = reverse("standards:section", args=[draft.pk, EDITOR_SECTION])
        statuses: set[int] = set()

        def page(url: str = url, statuses: set[int] = statuses) -> None:
            statuses.add(client.get(url).status_code)

        # No separate warm-up: the median leaves out the first page's template loading.
        seconds, measured["page"][rows] = _timed(page, rounds)
        figures.append(
            _figure(f"editor page {EDITOR_SECTION} at {rows} rows", _ms(seconds), "ms", "report",
                    statuses == {200}, f"median of {rounds}; {rows} materials and {rows} "
                    f"conditions; HTTP {sorted(statuses)}")
        )  # fmt: skip
        save = _timed_saves(client, draft, url, rounds)
        measured["save"][rows] = save["queries"]
        figures.append(
            _figure(f"section save {EDITOR_SECTION} at {rows} rows", _ms(save["seconds"]), "ms",
                    "report", not save["refused"],
                    "; ".join(filter(None, [save["refused"], f"median of {rounds}"])))
        )  # fmt: skip
    # Issue 3: the same queries for N and 2N rows, and no page above 30 (pages only).
    for kind, label, most in (
        ("page", "editor page", TARGET_EDITOR_QUERIES),
        ("save", "section save", None),
    ):
        n, two_n = measured[kind][N_ROWS], measured[kind][2 * N_ROWS]
        figures.append(
            _figure(f"{label} queries at {N_ROWS} / {2 * N_ROWS} rows", two_n, "queries",
                    f"= {n} (N)" + (f", ≤ {most}" if most else ""),
                    two_n == n and (most is None or n <= most),
                    f"{n} at {N_ROWS} rows, {two_n} at {2 * N_ROWS}")
        )  # fmt: skip
    return figures


def _drafts(staff: Any, sizes: list[int]) -> dict[int, Any]:
    """New drafts of the department's published copies, resized to each row count."""
    from standards.models import StandardVersion
    from standards.services.drafting import new_draft_from, refresh_progress

    published = (
        StandardVersion.objects.published()
        .filter(standard__department=staff.department)
        .exclude(standard__item__basic_code=LARGEST[0])
        .order_by("standard_id")[: len(sizes)]
    )
    drafts = {}
    for size, version in zip(sizes, published, strict=True):
        draft = new_draft_from(version=version, user=staff)
        for group, name in SCALED_GROUPS.items():
            _resize(draft, group, name, size)
        refresh_progress(draft, user=staff)
        drafts[size] = draft
    return drafts


def _resize(version: Any, group_name: str, name: str, count: int) -> None:
    """Give `version` exactly `count` rows of the group: its own, repeated under new names."""
    import uuid

    from standards.registry import REGISTRY, FieldType

    group = REGISTRY.group(group_name)
    model = group.model
    text = REGISTRY.field(group_name, name).attribute
    rows = list(model._default_manager.filter(version=version))
    references = [f for f in group.fields if f.type is FieldType.REF]
    made = []
    for n in range(len(rows), count):
        original = rows[n % len(rows)]
        clone = model._default_manager.get(pk=original.pk)
        clone.pk, clone.uid, clone.position = None, uuid.uuid4(), n
        setattr(clone, text, f"{getattr(original, text)}（{n + 1}）")
        clone.save()
        for field in references:
            getattr(clone, field.attribute).set(getattr(original, field.attribute).all())
        made.append(clone)
    for extra in rows[count:]:
        extra.delete()


def _timed_saves(client: Any, draft: Any, url: str, rounds: int) -> dict[str, Any]:
    """Save the section `rounds` times (one material renamed each time) as a browser posts it.

    A form the settings refuse (more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS)
    is reported as refused, and then measured with the limit lifted, so that
    the figure still says what a save costs.
    """
    from django.conf import settings
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    from standards.registry import REGISTRY
    from standards.services.editing import registry_section
    from standards.snapshot import snapshot
    from tests.editor_posting import section_post_data

    code = REGISTRY.field("material", "name").code
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    refused = ""
    times, queries = [], []
    for round_ in range(rounds + 1):
        draft.refresh_from_db()
        content = snapshot(draft)["content"]
        content["material"][0][code] = f"营业执照（第{round_ + 1}次保存）"
        data = section_post_data(draft, registry_section(EDITOR_SECTION), content)
        fields = sum(len(v) if isinstance(v, list) else 1 for v in data.values())
        with (
            override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=None if refused else limit),
            _quiet("django.security", "django.request"),  # a refusal is reported below
            CaptureQueriesContext(connection) as captured,
        ):
            start = time.perf_counter()
            status = client.post(url, data).status_code
            elapsed = time.perf_counter() - start
        if status != 302:
            if round_ == 0 and status == 400 and limit is not None and fields > limit:
                refused = (
                    f"REFUSED as configured: HTTP 400, the form posts {fields:,} fields, "
                    f"over DATA_UPLOAD_MAX_NUMBER_FIELDS ({limit:,}); timed with the limit lifted"
                )
                continue
            raise RuntimeError(f"saving {EDITOR_SECTION} of {draft} answered {status}")
        if round_:  # the first save warms the form classes
            times.append(elapsed)
            queries.append(len(captured.captured_queries))
    # The fewest queries: see `_timed`.
    return {"seconds": statistics.median(times), "queries": min(queries), "refused": refused}


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


# Helpers ---------------------------------------------------------------------------


def _timed(action: Callable[[], Any], rounds: int) -> tuple[float, int]:
    """The median seconds of `rounds` calls, and the fewest queries one of them ran.

    The fewest: a signed-in request writes the session's idle clock once a
    minute (config.security), three queries that belong to no page.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        queries.append(len(captured.captured_queries))
    return statistics.median(times), min(queries)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _figure(
    name: str, value: float, unit: str, target: str, met: bool, note: str
) -> dict[str, Any]:
    return {"name": name, "value": value, "unit": unit, "target": target, "met": met, "note": note}


if __name__ == "__main__":
    for figure in run():
        status = "ok" if figure["met"] else "MISSED"
        print(f"{figure['name']}: {figure['value']} {figure['unit']} "
              f"(target {figure['target']}) {status}  {figure['note']}")  # fmt: skip
