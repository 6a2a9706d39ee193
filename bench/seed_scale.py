"""Data at the scale of the source article, for the benchmarks that need it.

    DEBUG=true .venv/bin/python bench/seed_scale.py [--keep]

The source article: the standards of 1,173 licensing items (sub-items
included) of Guangdong's provincial departments were compiled and filed — 160
exercised at province, city and county, 192 at province and city, 12 at
province and county, 809 by the province alone — and 1,930 standards were
compiled below, at the Foshan and Nanhai levels.

The seed is made in two steps (ADR 0020):

1. The product's own paths, as `make run` does: migrate, then `manage.py seed
   --demo-users` — reference data, the five samples, the demo users; four
   samples and two provincial templates published through the workflow
   (snapshots, transitions, search index, citations); Foshan and Nanhai
   adopting templates through the adoption service.
2. Scale, in bulk, in one transaction: sub-items of the catalogue's
   provincial items until there are 1,173 with the article's level counts;
   for each, a provincial standard whose first version is published with the
   content of a sample published in step 1; each one exercised below the
   province made a template; city and county departments (created where the
   catalogue has none) adopting the templates until there are 1,930 adopted
   standards, each published with its template's content. Rows are copied by
   the database (`INSERT … SELECT`), keeping their uids, with references
   re-pointed by uid — what `copy_content` does row by row. Each copy's
   `PublishedSnapshot` is its source's stored snapshot with the copy's own
   `standard` part from `standard_meta`: what `snapshot()` gives for the copy,
   which is checked on one of them.

Not written for the copies: django-simple-history rows, review rounds, legal
citations, rendered PDFs and search entries. No benchmark reads them for a
copy; indexing 3,095 copies through `search.indexing.sync_index` takes about
seven minutes here, and search is measured over its own 100,000 entries
(`bench/search_bench.py`).

`make bench` seeds once (`python bench/seed_scale.py` prints the database
name) and each benchmark works on its own copy (`seeded_copy()`); a
benchmark run alone seeds for itself.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# `python bench/x.py` and `make bench` alike import the other bench modules by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import database

# The demo users' password in the throwaway database.
SEED_PASSWORD = "bench-demo-2026"  # noqa: S105 - a local, throwaway database
PROVINCIAL_ITEMS = {
    "province_city_county": 160,
    "province_city": 192,
    "province_county": 12,
    "province": 809,
}
ADOPTED_STANDARDS = 1_930
# Sub-items as the catalogue names them: the parent's name and the case.
VARIANTS = (
    "新办", "变更", "延续", "注销", "补证", "换证", "迁移", "增项",
    "减项", "转让", "分立", "合并", "暂停", "恢复", "备案", "年度校验",
)  # fmt: skip
FOSHAN, NANHAI = "440600", "440605"
ENVIRONMENT_VARIABLE = "BENCH_SEED_DATABASE"


# Seeding ------------------------------------------------------------------


def seed(url: str) -> dict[str, Any]:
    """Migrate and fill the (empty) database at `url`; returns what was made."""
    database.setup_django(url)
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    call_command("seed", verbosity=0, demo_users=SEED_PASSWORD, stdout=io.StringIO())
    loaded = time.perf_counter()
    with transaction.atomic():
        made = _ScaleUp().run()
    _check_one_copy()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    made["seconds"] = {
        "migrate": round(migrated - started, 1),
        "samples and workflow": round(loaded - migrated, 1),
        "scale": round(time.perf_counter() - loaded, 1),
    }
    return made


class _ScaleUp:
    def __init__(self) -> None:
        from standards.models import PublishedSnapshot, Region, User

        self.admin = User.objects.get(username="admin")
        self.province = Region.objects.get(level=Region.Level.PROVINCE)
        self.today = datetime.date.today()
        # The snapshots published through the workflow in step 1: the content sources.
        self.sources = list(
            PublishedSnapshot.objects.select_related("version").order_by("version_id")
        )
        self.copies: list[tuple[Any, Any]] = []  # (source PublishedSnapshot, new version)
        self.departments: dict[tuple[int, int], Any] = {}

    def run(self) -> dict[str, Any]:
        items = self._provincial_items()
        provincial = self._provincial_standards(items)
        templates = self._templates(provincial)
        adopted = self._adoptions(templates)
        self._copy_content()
        self._write_snapshots()
        return {
            "provincial items": len(items),
            "provincial standards published (copies)": len(provincial),
            "templates": len(templates),
            "adopted standards (copies)": adopted,
            "content copies": len(self.copies),
        }

    # Catalogue ----------------------------------------------------------

    def _provincial_items(self) -> list[Any]:
        """Sub-items under the catalogue's provincial items until each level has its count."""
        from standards.models import ApprovalItem

        existing = list(ApprovalItem.objects.exercised_at("province").select_related("department"))
        codes = set(ApprovalItem.objects.values_list("basic_code", flat=True))
        by_level = Counter(item.levels for item in existing)
        new = []
        for levels, wanted in PROVINCIAL_ITEMS.items():
            parents = [i for i in existing if i.levels == levels and i.parent_id is None]
            serial = Counter[int]()
            for n in range(max(wanted - by_level[levels], 0)):
                parent = parents[n % len(parents)]
                serial[parent.pk] += 1
                code = self._free_code(parent.basic_code, codes)
                variant = VARIANTS[(serial[parent.pk] - 1) % len(VARIANTS)]
                new.append(
                    ApprovalItem(
                        basic_code=code,
                        name=f"{parent.name}（{variant}）",
                        item_type=parent.item_type,
                        parent=parent,
                        levels=levels,
                        department=parent.department,
                    )
                )
        ApprovalItem.objects.bulk_create(new, batch_size=1000)
        return list(ApprovalItem.objects.exercised_at("province").select_related("department"))

    @staticmethod
    def _free_code(parent_code: str, taken: set[str]) -> str:
        for serial in range(1, 1000):
            code = f"{parent_code[:9]}{serial:03d}"
            if code not in taken:
                taken.add(code)
                return code
        raise RuntimeError(f"no free sub-item code under {parent_code}")

    # Provincial standards -------------------------------------------------

    def _provincial_standards(self, items: list[Any]) -> list[Any]:
        """A published first version for every provincial item that has no standard yet."""
        from standards.models import Standard

        have = set(Standard.objects.filter(region=self.province).values_list("item_id", flat=True))
        standards = Standard.objects.bulk_create(
            [
                Standard(item=item, department=item.department, region=self.province)
                for item in items
                if item.pk not in have
            ],
            batch_size=1000,
        )
        versions = self._published_versions(
            standards, [self.sources[n % len(self.sources)] for n in range(len(standards))]
        )
        return versions

    def _published_versions(self, standards: list[Any], sources: list[Any]) -> list[Any]:
        from standards.models import StandardVersion, TransitionLog

        versions = StandardVersion.objects.bulk_create(
            [
                StandardVersion(
                    standard=standard,
                    number=1,
                    state=StandardVersion.State.PUBLISHED,
                    effective_from=self.today,
                    completeness=source.version.completeness,
                    completeness_percent=source.version.completeness_percent,
                    created_by=self.admin,
                    last_edited_by=self.admin,
                )
                for standard, source in zip(standards, sources, strict=True)
            ],
            batch_size=1000,
        )
        TransitionLog.objects.bulk_create(
            [
                TransitionLog(
                    version=version,
                    action="publish",
                    from_state=StandardVersion.State.CONFIRMED,
                    to_state=StandardVersion.State.PUBLISHED,
                    actor=self.admin,
                )
                for version in versions
            ],
            batch_size=1000,
        )
        self.copies += list(zip(sources, versions, strict=True))
        return versions

    # Templates and adoption -----------------------------------------------

    def _templates(self, provincial: list[Any]) -> list[tuple[Any, Any, Any]]:
        """Every published provincial standard exercised below the province, as a template."""
        from adoption.models import TEMPLATE_LEVELS, Template
        from standards.models import PublishedSnapshot

        levels = {str(v) for v in TEMPLATE_LEVELS}
        existing = {t.standard_id for t in Template.objects.all()}
        made = Template.objects.bulk_create(
            [
                Template(standard=v.standard, levels=v.standard.item.levels, created_by=self.admin)
                for v in provincial
                if v.standard.item.levels in levels and v.standard_id not in existing
            ]
        )
        # (template, its published version, that version's content source)
        source_of = {version.pk: source for source, version in self.copies}
        version_of = {version.standard_id: version for version in provincial}
        found: list[tuple[Any, Any, Any]] = []
        for template in made:
            version = version_of[template.standard_id]
            found.append((template, version, source_of[version.pk]))
        for template in Template.objects.select_related("standard__item", "standard__department"):
            if template.standard_id in existing:
                snapshot = (
                    PublishedSnapshot.objects.select_related("version")
                    .filter(version__standard=template.standard)
                    .order_by("-version__number")
                    .first()
                )
                if snapshot is not None:
                    found.append((template, snapshot.version, snapshot))
        return found

    def _adoptions(self, templates: list[tuple[Any, Any, Any]]) -> int:
        """City and county departments adopt templates until there are enough adopted standards."""
        from adoption.models import Adoption
        from standards.models import Standard

        adopted = Adoption.objects.count()
        taken = set(Standard.objects.values_list("item_id", "department_id", "region_id"))
        pairs: list[tuple[Any, Any, Any, Any, Any]] = []
        for region in self._adopting_regions():
            for template, version, source in templates:
                if adopted + len(pairs) >= ADOPTED_STANDARDS:
                    break
                if region.level not in template.level_set:
                    continue
                department = self._local_department(template.standard.department, region)
                key = (template.standard.item_id, department.pk, region.pk)
                if key in taken:
                    continue
                taken.add(key)
                pairs.append((template, version, source, department, region))
        standards = Standard.objects.bulk_create(
            [
                Standard(item_id=t.standard.item_id, department=d, region=r)
                for t, _v, _s, d, r in pairs
            ],
            batch_size=1000,
        )
        self._published_versions(standards, [source for _t, _v, source, _d, _r in pairs])
        Adoption.objects.bulk_create(
            [
                Adoption(
                    standard=standard,
                    template=template,
                    adopted_template_version=version,
                    created_by=self.admin,
                )
                for standard, (template, version, *_rest) in zip(standards, pairs, strict=True)
            ],
            batch_size=1000,
        )
        return len(pairs)

    def _adopting_regions(self) -> list[Any]:
        """Foshan and Nanhai first (as in the article), Foshan's other districts, then the rest."""
        from standards.models import Region

        local = list(Region.objects.exclude(level=Region.Level.PROVINCE).select_related("parent"))

        def order(region: Any) -> tuple[int, str]:
            if region.code in (FOSHAN, NANHAI):
                return (0, region.code)
            return (1 if region.parent and region.parent.code == FOSHAN else 2, region.code)

        return sorted(local, key=order)

    def _local_department(self, provincial: Any, region: Any) -> Any:
        """The region's counterpart of a provincial department (广东省教育厅 → 佛山市教育局)."""
        from standards.models import Department

        key = (provincial.pk, region.pk)
        if key not in self.departments:
            line = provincial.code.split("-", 1)[1]
            line = line[:-1] + "j" if line.endswith("t") else line
            place = (
                f"{region.parent.name}{region.name}" if region.level == "county" else region.name
            )
            name = provincial.name.removeprefix("广东省").removesuffix("厅") + (
                "局" if provincial.name.endswith("厅") else ""
            )
            self.departments[key], _created = Department.objects.get_or_create(
                code=f"{region.code}-{line}",
                defaults={"name": f"{place}{name}", "region": region},
            )
        return self.departments[key]

    # Content ----------------------------------------------------------------

    def _copy_content(self) -> None:
        """Every row of each source version into its copies, by the database."""
        from django.db import connection

        from standards.registry import REGISTRY, FieldType

        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE bench_copy (source bigint, target bigint) ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY bench_copy (source, target) FROM STDIN") as copy:
                for source, version in self.copies:
                    copy.write_row((source.version_id, version.pk))
            cursor.execute("CREATE INDEX ON bench_copy (source)")
            cursor.execute("ANALYZE bench_copy")
            for group in REGISTRY.groups.values():
                meta = group.model._meta
                columns = [
                    f.column for f in meta.concrete_fields if f.name not in ("id", "version")
                ]
                listed = ", ".join(f'"{c}"' for c in columns)
                selected = ", ".join(f'r."{c}"' for c in columns)
                cursor.execute(
                    f'INSERT INTO "{meta.db_table}" ({listed}, version_id) '  # noqa: S608
                    f'SELECT {selected}, c.target FROM "{meta.db_table}" r '
                    "JOIN bench_copy c ON c.source = r.version_id ORDER BY c.target, r.id"
                )
            for group in REGISTRY.groups.values():
                for field in group.fields:
                    if field.type is FieldType.REF:
                        cursor.execute(
                            _reference_copy_sql(group, field, REGISTRY.group(field.ref_group))
                        )

    def _write_snapshots(self) -> None:
        """Each copy's snapshot: its source's content under the copy's own `standard` part.

        The hash is taken in Python over the canonical JSON, as `PublishedSnapshot.save`
        does; the database builds the stored value from the source's (`jsonb_set`),
        which saves parsing 250 MB of JSON text again.
        """
        from django.db import connection
        from django.utils import timezone

        from standards.models import StandardVersion
        from standards.models.workflow import canonical_json
        from standards.snapshot import standard_meta

        versions = StandardVersion.objects.select_related(
            "standard__item", "standard__department", "standard__region"
        ).in_bulk([version.pk for _source, version in self.copies])
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE bench_snapshot "
                "(version_id bigint, source bigint, meta jsonb, sha256 text) ON COMMIT DROP"
            )
            sql = "COPY bench_snapshot (version_id, source, meta, sha256) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for source, version in self.copies:
                    meta = standard_meta(versions[version.pk])
                    digest = hashlib.sha256(canonical_json({**source.data, "standard": meta}))
                    copy.write_row(
                        (version.pk, source.version_id, canonical_json(meta).decode(),
                         digest.hexdigest())
                    )  # fmt: skip
            cursor.execute(
                "INSERT INTO standards_publishedsnapshot "
                "(version_id, schema_version, data, sha256, published_at, published_by_id) "
                "SELECT b.version_id, s.schema_version, jsonb_set(s.data, '{standard}', b.meta), "
                "b.sha256, %s, %s FROM bench_snapshot b "
                "JOIN standards_publishedsnapshot s ON s.version_id = b.source",
                [timezone.now(), self.admin.pk],
            )


def _reference_copy_sql(group: Any, field: Any, target: Any) -> str:
    """Copy the links of one reference field, re-pointed at the copies' rows (matched by uid)."""
    relation = group.model._meta.get_field(field.attribute)
    through = relation.remote_field.through._meta.db_table
    from_column, to_column = relation.m2m_column_name(), relation.m2m_reverse_name()
    source_table, target_table = group.model._meta.db_table, target.model._meta.db_table
    # A single-valued group has one row per version and no uid.
    same_source = "AND ns.uid = s.uid" if group.repeats else ""
    return (
        f'INSERT INTO "{through}" ("{from_column}", "{to_column}") '  # noqa: S608
        f'SELECT ns.id, nt.id FROM "{through}" link '
        f'JOIN "{source_table}" s ON s.id = link."{from_column}" '
        "JOIN bench_copy c ON c.source = s.version_id "
        f'JOIN "{source_table}" ns ON ns.version_id = c.target {same_source} '
        f'JOIN "{target_table}" t ON t.id = link."{to_column}" '
        f'JOIN "{target_table}" nt ON nt.version_id = c.target AND nt.uid = t.uid'
    )


def _check_one_copy() -> None:
    """The stored snapshot of a copy equals what `snapshot()` reads from its rows."""
    from standards.models import PublishedSnapshot
    from standards.snapshot import snapshot

    stored = PublishedSnapshot.objects.select_related("version").order_by("-id").first()
    if stored is None:
        raise RuntimeError("no snapshot was written")
    live = snapshot(stored.version)
    if live["content"] != stored.data["content"] or live["standard"] != stored.data["standard"]:
        raise RuntimeError(f"the copy {stored.version} does not match its snapshot")


def counts() -> dict[str, int]:
    """What the seeded database holds, for the figures' notes."""
    from adoption.models import Adoption
    from standards.models import PublishedSnapshot, Region, Standard, StandardVersion

    published = StandardVersion.objects.filter(state=StandardVersion.State.PUBLISHED)
    return {
        "provincial items published": published.filter(
            standard__region__level=Region.Level.PROVINCE
        ).count(),
        "adopted standards": Adoption.objects.count(),
        "standards": Standard.objects.count(),
        "published snapshots": PublishedSnapshot.objects.count(),
    }


# Copies for the benchmarks -------------------------------------------------


@contextmanager
def seeded_copy(what: str) -> Iterator[str]:
    """The URL of a fresh copy of the seeded database, dropped after the block.

    Under `make bench` the seed is made once (its name in BENCH_SEED_DATABASE);
    a benchmark run on its own seeds a database for itself first.
    """
    template = os.environ.get(ENVIRONMENT_VARIABLE)
    if template:
        with database.throwaway(what, template=template) as url:
            yield url
        return
    name = database.database_name(f"{what}_seed")
    _seed_in_child(name)
    try:
        with database.throwaway(what, template=name) as url:
            yield url
    finally:
        database.drop(name)


def _seed_in_child(name: str) -> None:
    """Seed `name` in a child process: Django here must stay free for the copy."""
    import subprocess

    script = Path(__file__).resolve()
    subprocess.run(  # noqa: S603 - our interpreter, our script
        [sys.executable, str(script), "--name", name, "--keep"], check=True, stdout=sys.stderr
    )


def main() -> None:
    """Seed a new database; print what was made (JSON), then its name, on two lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default=database.database_name("seed"))
    parser.add_argument("--keep", action="store_true", help="keep the database (make bench does)")
    options = parser.parse_args()
    # Stopped from outside (run.py's time limit, Ctrl-C): still drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    url = database.create(options.name)
    try:
        made = seed(url)
        made.update(counts())
    except BaseException:
        database.close_django_connections()
        database.drop(options.name)
        raise
    database.close_django_connections()
    if not options.keep:
        database.drop(options.name)
    print(json.dumps(made, ensure_ascii=False))
    print(options.name)


if __name__ == "__main__":
    main()
