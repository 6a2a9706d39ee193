"""Search latency with 100,000 catalogue entries on PostgreSQL.

    DEBUG=true .venv/bin/python bench/search_bench.py [--entries N] [--rounds R]

Creates a throwaway database on the PostgreSQL server of `BENCH_DATABASE_URL`
(or `DATABASE_URL`, or postgres://postgres@127.0.0.1:5432/postgres), migrates
it, fills the index through the production code (`search.indexing` grams and
folding) with synthetic entries made from the real catalogue's item names,
common names, region and department names, then times the query the results
page runs (count + first page) for a mix of 1-, 2-, 3- and 4-character queries.
The same queries over a plain substring scan (`folded LIKE '%term%'`) are the
baseline measured in the same run. The database is dropped at the end.

`run()` returns the figures for `make bench`; this file asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# `python bench/x.py` and `make bench` alike import the other bench modules by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import database

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 50.0
# Queries people type: mostly one or two characters, some longer.
QUERIES: dict[int, list[str]] = {
    1: ["证", "药", "车", "房", "医", "学", "税", "船"],
    2: ["食品", "许可", "药品", "建筑", "登记", "学校", "运输", "护照"],
    3: ["许可证", "营业执", "医疗机", "危险化", "出租车", "烟花爆"],
    4: ["食品经营", "建筑工程", "道路运输", "医疗机构", "民办学校", "特种设备"],
}
MATERIALS = [
    "申请书",
    "营业执照复印件",
    "法定代表人身份证明",
    "授权委托书",
    "经营场所平面图",
    "场所使用证明",
    "安全管理制度",
    "专业技术人员资格证书",
    "设备设施清单",
    "环境影响评价文件",
    "消防验收意见书",
    "章程",
    "验资报告",
    "健康证明",
    "承诺书",
]
CONDITIONS = [
    "申请人具有独立承担民事责任的能力",
    "具有与经营规模相适应的场所和设备",
    "配备专职安全管理人员",
    "有健全的管理制度和操作规程",
    "从业人员经培训考核合格",
    "符合国家和省规定的其他技术标准",
]
COUNTY_CHARS = "安宁和平东西南北新兴丰顺德清远龙华海珠白云花都从化增城番禺南沙金湾香洲斗门"
DEPARTMENT_SUFFIXES = [
    "市场监督管理局",
    "住房和城乡建设局",
    "交通运输局",
    "教育局",
    "卫生健康局",
    "公安局",
    "生态环境局",
    "自然资源局",
    "农业农村局",
    "文化广电旅游体育局",
    "人力资源和社会保障局",
    "应急管理局",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5, help="times each query is run")
    parser.add_argument("--keep", action="store_true", help="keep the database (to study plans)")
    args = parser.parse_args()
    result = run(entries=args.entries, rounds=args.rounds, keep=args.keep)
    print(report(result))


def report(result: dict[str, Any]) -> str:
    lines = [
        f"search, {result['entries']:,} entries, {result['postings']:,} postings, "
        f"{result['samples']} timed queries",
        f"  n-gram index   p95 {result['p95_ms']:7.1f} ms   (target < {TARGET_P95_MS:.0f} ms: "
        f"{'met' if result['p95_ms'] < TARGET_P95_MS else 'NOT met'})",
        f"  substring scan p95 {result['baseline_p95_ms']:7.1f} ms   (baseline, same run)",
        f"  ratio index / scan: {result['ratio']:.2f}",
    ]
    for length, figures in sorted(result["by_length"].items()):
        lines.append(
            f"  {length}-character queries: index p95 {figures['index']:6.1f} ms, "
            f"scan p95 {figures['scan']:6.1f} ms"
        )
    return "\n".join(lines)


def run(
    entries: int = 100_000, rounds: int = 5, server_url: str | None = None, keep: bool = False
) -> dict[str, Any]:
    """Build a throwaway database, fill it, time the queries, drop it."""
    import psycopg

    server = server_url or database.server_url()
    name = f"search_bench_{os.getpid()}"
    admin = database.with_database(server, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        return _run_in(database.with_database(server, name), entries, rounds)
    finally:
        database.close_django_connections()
        if keep:
            print(f"kept database {name}")
        else:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run_in(url: str, entries: int, rounds: int) -> dict[str, Any]:
    database.setup_django(url)
    from django.conf import settings
    from django.core.management import call_command

    # The settings were read before this function (under `make bench`); point
    # the default connection at the throwaway database whatever they said.
    from django.db import connection

    settings.DATABASES["default"].update(_django_database(url))
    connection.settings_dict.update(_django_database(url))
    connection.close()
    call_command("migrate", verbosity=0, skip_checks=True)
    postings = _fill(entries)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return _measure(entries, postings, rounds)


def _django_database(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": parts.username or "",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }


def _fill(count: int) -> int:
    """Catalogue rows, published versions and their entries; returns the postings."""
    from django.db import connection, transaction

    from search.indexing import GAP, Document, postings_of, recount_grams
    from search.models import SearchEntry
    from search.text import fold
    from standards.models import ApprovalItem, Department, Region, Standard, StandardVersion

    rng = random.Random(20261125)  # noqa: S311  (synthetic data, not security)
    items = _catalogue_items()
    with transaction.atomic():
        province = Region.objects.create(code="440000", name="广东省", level="province")
        regions = _regions(province, count // len(items) + 1, rng)
        departments: dict[tuple[int, str], Department] = {}
        number = 0
        for region in regions:
            for suffix in DEPARTMENT_SUFFIXES:
                number += 1
                departments[(region.pk, suffix)] = Department(
                    code=f"{region.code}-{number}", name=f"{region.name}{suffix}", region=region
                )
        Department.objects.bulk_create(departments.values(), batch_size=2000)
        rows = []
        for index in range(count):
            name, common, item_type = items[index % len(items)]
            region = regions[index // len(items)]
            suffix = DEPARTMENT_SUFFIXES[index % len(DEPARTMENT_SUFFIXES)]
            rows.append((name, common, item_type, region, departments[(region.pk, suffix)]))
        catalogue = ApprovalItem.objects.bulk_create(
            [
                ApprovalItem(
                    basic_code=f"{index:012d}",
                    name=name,
                    common_name=common,
                    item_type=item_type,
                    levels="province_city_county",
                    department=department,
                )
                for index, (name, common, item_type, _region, department) in enumerate(rows)
            ],
            batch_size=5000,
        )
        standards = Standard.objects.bulk_create(
            [
                Standard(item=item, department=row[4], region=row[3])
                for item, row in zip(catalogue, rows, strict=True)
            ],
            batch_size=5000,
        )
        versions = StandardVersion.objects.bulk_create(
            [StandardVersion(standard=s, number=1, state="published") for s in standards],
            batch_size=5000,
        )
        # Entry keys are places in the listing order (item name, then indexed
        # first), as `search.indexing.place_for` gives them one at a time.
        ranks = sorted(range(count), key=lambda index: (rows[index][0], index))
        positions = {index: (rank + 1) * GAP for rank, index in enumerate(ranks)}
        search_entries = []
        for index, (version, item, (name, common, item_type, region, department)) in enumerate(
            zip(versions, catalogue, rows, strict=True)
        ):
            document = Document(
                names=[name, common] if common else [name],
                department=department.name,
                conditions=[rng.choice(CONDITIONS)],
                materials=[f"{name}申请书", *rng.sample(MATERIALS, 2)],
            )
            lineage = {r.level: r for r in region.lineage()}
            search_entries.append(
                SearchEntry(
                    position=positions[index],
                    standard=version.standard,
                    version=version,
                    basic_code=item.basic_code,
                    item_name=name,
                    department_code=department.code,
                    department_name=department.name,
                    item_type=item_type,
                    level=region.level,
                    department=department,
                    province=province,
                    city=lineage.get("city"),
                    county=lineage.get("county"),
                    promised_limit=rng.choice([0, 5, 10, 15, 20]),
                    promised_limit_unit="1",
                    is_charged=rng.random() < 0.2,
                    on_site_visits=rng.choice([0, 0, 1, 1, 2]),
                    document=document.as_json(),
                    folded=fold("\n".join(document.fields())),
                    folded_names=fold("\n".join(document.names)),
                )
            )
        SearchEntry.objects.bulk_create(search_entries, batch_size=2000)
    _check_listing_order()
    postings = 0
    copy_sql = "COPY search_gram (code, entry_id) FROM STDIN"
    # COPY, not the ORM: millions of rows. The postings are the production
    # ones (`postings_of`, which `reindex_standard` writes with bulk_create),
    # and so are the per-gram counts computed from them.
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
        for entry in search_entries:
            for gram in postings_of(entry):
                copy.write_row((gram.code, entry.pk))
                postings += 1
    recount_grams()
    return postings


def _check_listing_order() -> None:
    """Positions sorted in Python must be the database's (item name, position) order."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT position, LAG(position) OVER "
            "(ORDER BY item_name, position) AS previous FROM search_searchentry) AS listing "
            "WHERE previous > position"
        )
        (disordered,) = cursor.fetchone()
    if disordered:
        raise RuntimeError(f"{disordered} entries out of the database's name order (collation?)")


def _catalogue_items() -> list[tuple[str, str, str]]:
    with (BASE_DIR / "fixtures" / "catalogue" / "items.csv").open(encoding="utf-8") as file:
        return [(r["name"], r["common_name"], r["item_type"]) for r in csv.DictReader(file)]


def _regions(province: Any, needed: int, rng: random.Random) -> list[Any]:
    """Real city names of the fixtures, each with synthetic counties, `needed` in all."""
    from standards.models import Region

    with (BASE_DIR / "fixtures" / "catalogue" / "regions.csv").open(encoding="utf-8") as file:
        cities = [r for r in csv.DictReader(file) if r["level"] == "city"]
    created = [
        Region.objects.create(code=c["code"], name=c["name_zh"], level="city", parent=province)
        for c in cities
    ]
    found: list[Any] = [province, *created]
    per_city: dict[str, int] = {}
    serial = 0
    while len(found) < needed:
        city = created[serial % len(created)]
        serial += 1
        per_city[city.code] = per_city.get(city.code, 0) + 1
        name = "".join(rng.sample(COUNTY_CHARS, 2)) + rng.choice(["区", "县", "市"])
        found.append(
            Region.objects.create(
                code=f"{city.code[:4]}{per_city[city.code]:02d}",
                name=f"{city.name}{name}",
                level="county",
                parent=city,
            )
        )
    return found[:needed]


def _measure(entries: int, postings: int, rounds: int) -> dict[str, Any]:
    from django.core.paginator import Paginator

    from search.models import SearchEntry
    from search.query import search
    from search.text import query_terms

    def indexed(query: str) -> None:
        page = Paginator(search(query_terms(query)), 20).page(1)
        list(page.object_list)

    def scanned(query: str) -> None:
        terms = query_terms(query)
        entries_ = SearchEntry.objects.all()
        for term in terms:
            entries_ = entries_.filter(folded__contains=term)
        page = Paginator(entries_.order_by("position"), 20).page(1)
        list(page.object_list)

    timings: dict[str, dict[int, list[float]]] = {"index": {}, "scan": {}}
    for label, function in (("index", indexed), ("scan", scanned)):
        for length, queries in QUERIES.items():
            for query in queries:
                function(query)  # warm the cache: steady state, not first touch
            timings[label][length] = [
                _timed(function, query) for _ in range(rounds) for query in queries
            ]
    index_all = [t for ts in timings["index"].values() for t in ts]
    scan_all = [t for ts in timings["scan"].values() for t in ts]
    p95, baseline = _p95(index_all), _p95(scan_all)
    return {
        "entries": entries,
        "postings": postings,
        "samples": len(index_all),
        "p95_ms": p95,
        "baseline_p95_ms": baseline,
        "ratio": p95 / baseline if baseline else float("nan"),
        "target_ms": TARGET_P95_MS,
        "by_length": {
            length: {
                "index": _p95(timings["index"][length]),
                "scan": _p95(timings["scan"][length]),
            }
            for length in QUERIES
        },
    }


def _timed(function: Callable[[str], None], query: str) -> float:
    start = time.perf_counter()
    function(query)
    return (time.perf_counter() - start) * 1000


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


if __name__ == "__main__":
    main()
