"""The service guide (办事指南) as HTML, from a stored snapshot.

`render_guide_html(snapshot)` shows only registry fields whose audience is
guide or both, in the order Chinese service guides use. It reads nothing but
the snapshot dict, so a published guide never changes with the drafts, and the
same snapshot always gives the same bytes: everything follows list order in
the snapshot and registry order, and nothing depends on the time of rendering.

References are shown by the names of the rows they point at, and only by
names taken from guide fields; a reference to a group without any (posts)
is left out, so no manual-only text can slip in through a reference.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString

from standards.changes.durations import duration_pairs, format_duration
from standards.changes.values import code_label, display, is_empty, joined, shorten
from standards.registry import REGISTRY, Field, FieldType, Group
from standards.registry.i18n import bilingual

from .flowchart import FONT_FAMILY as CHART_FONTS
from .flowchart import Step, flow_chart

TEMPLATE = "guides/guide/guide.html"
# Link benchmark rows of these processes make up the main (new application) flow.
MAIN_PROCESSES = frozenset({f"P0{n}" for n in range(1, 9)})
_SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$")


def _t(zh: str, en: str) -> str:
    return str(bilingual(zh, en))


@dataclass(frozen=True)
class Entry:
    label: str
    value: str
    multiline: bool = False
    href: str = ""


@dataclass(frozen=True)
class Row:
    title: str
    entries: list[Entry]


@dataclass
class Block:
    heading: str = ""
    entries: list[Entry] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    chart: SafeString | None = None
    faq: list[tuple[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.entries or self.rows or self.chart or self.faq)


@dataclass
class Section:
    slug: str
    title: str
    blocks: list[Block]


def render_guide_html(
    snapshot: Mapping[str, Any],
    *,
    language: str = "zh-hans",
    published_on: datetime.date | None = None,
    link_base: str = "",
    chart_fonts: str = CHART_FONTS,
) -> str:
    """The guide of a snapshot as a standalone HTML fragment (an `<article>`).

    `published_on` is the publication date (kept on `PublishedSnapshot`, not in
    the snapshot; None for a draft's preview). Blank forms and samples link to
    the public file address of this version, prefixed with `link_base` (the site's
    public address in a PDF, nothing on the site itself). `chart_fonts` is the
    font list the flow chart names (WeasyPrint draws an SVG apart from the
    page's CSS; the PDF benchmark's Latin-only baseline changes it).
    """
    with translation.override(language):
        guide = _Guide(
            snapshot, published_on=published_on, link_base=link_base, chart_fonts=chart_fonts
        )
        context = {
            "language": "zh-Hans" if language == "zh-hans" else language,
            "title": guide.title(),
            "subtitle": guide.subtitle(),
            "header": guide.header(),
            "summary": guide.summary(),
            "sections": guide.filled_sections(),
            "version": guide.version(),
        }
        return render_to_string(TEMPLATE, context)


class _Names:
    """Row names built from guide fields only, so references can be shown."""

    def __init__(self, content: Mapping[str, Any]) -> None:
        self._names: dict[tuple[str, str], str] = {}
        for group in REGISTRY.groups.values():
            if not group.repeats:
                continue
            for row in content.get(group.name) or []:
                name = row_title(group, row)
                if name:
                    self._names[(group.name, str(row["row_id"]))] = shorten(name)

    def names(self, group: str, row_ids: Iterable[Any]) -> list[str]:
        found = (self._names.get((group, str(row_id))) for row_id in row_ids)
        return [name for name in found if name]


def _title_field(group: Group) -> Field | None:
    for f in group.fields:
        if f.in_guide and f.type in (FieldType.TEXT, FieldType.LONGTEXT):
            return f
    return None


def row_title(group: Group, row: Mapping[str, Any]) -> str:
    """A row's name from its guide fields ("" when it has none)."""
    if group.name == "legal_basis":
        parts = [row.get("E02.02"), row.get("E02.08")]
        return "".join(str(p) for p in parts if not is_empty(p))
    title = _title_field(group)
    if title is None or is_empty(row.get(title.code)):
        return ""
    return str(row[title.code])


def format_date(value: str) -> str:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return value
    if (translation.get_language() or "zh-hans").startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


class _Guide:
    def __init__(
        self,
        snapshot: Mapping[str, Any],
        *,
        published_on: datetime.date | None = None,
        link_base: str = "",
        chart_fonts: str = CHART_FONTS,
    ) -> None:
        self.meta: Mapping[str, Any] = snapshot.get("standard") or {}
        self.content: Mapping[str, Any] = snapshot.get("content") or {}
        self.names = _Names(self.content)
        self.published_on = published_on
        self.link_base = link_base
        self.chart_fonts = chart_fonts

    def file_href(self, f: Field, row: Mapping[str, Any]) -> str:
        """The public address of a published file (a blank form, a sample)."""
        item = self.meta.get("item") or {}
        department = self.meta.get("department") or {}
        number = (self.meta.get("version") or {}).get("number")
        if not (item.get("basic_code") and department.get("code") and number is not None):
            return ""
        row_id = str(row.get("row_id") or "-")
        path = reverse(
            "guides:file",
            args=[item["basic_code"], department["code"], int(number), f.code, row_id],
        )
        return f"{self.link_base}{path}"

    # -- reading values ------------------------------------------------------

    def single(self, group: str) -> Mapping[str, Any]:
        return self.content.get(group) or {}

    def rows(self, group: str) -> list[Mapping[str, Any]]:
        return list(self.content.get(group) or [])

    def value_text(self, f: Field, value: Any) -> str:
        """A guide field's value as text; "" when there is nothing to show."""
        if is_empty(value):
            return ""
        match f.type:
            case FieldType.REF:
                return joined(self.names.names(f.ref_group, value))
            case FieldType.FILE:
                return PurePosixPath(str(value)).name
            case FieldType.DATE:
                return format_date(str(value))
            case FieldType.CHOICE:
                return code_label(f, value)
        return display(f, value, _NO_ROW_NAMES)

    def entries(
        self,
        group_name: str,
        values: Mapping[str, Any],
        *,
        only: Iterable[str] | None = None,
        skip: Iterable[str] = (),
    ) -> list[Entry]:
        """Entries for the group's guide fields that have a value, in registry order."""
        group = REGISTRY.group(group_name)
        wanted = set(only) if only is not None else None
        skipped = set(skip)
        pairs = duration_pairs(group)
        units = {unit.code for unit in pairs.values()}
        found = []
        for f in group.fields:
            if not f.in_guide or f.code in skipped or f.code in units:
                continue
            if wanted is not None and f.code not in wanted:
                continue
            value = values.get(f.code)
            if f.code in pairs:
                unit = pairs[f.code]
                if is_empty(value) and is_empty(values.get(unit.code)):
                    continue
                text = format_duration(value, unit, values.get(unit.code))
            else:
                text = self.value_text(f, value)
            if not text:
                continue
            href = ""
            if f.type is FieldType.URL and _SAFE_URL.match(text):
                href = text
            elif f.type is FieldType.FILE:
                href = self.file_href(f, values)
            found.append(Entry(str(f.label), text, f.type is FieldType.LONGTEXT, href))
        return found

    def row_list(
        self, group_name: str, rows: Iterable[Mapping[str, Any]], *, skip: Iterable[str] = ()
    ) -> list[Row]:
        group = REGISTRY.group(group_name)
        title = _title_field(group)
        own = {title.code} if title and group_name != "legal_basis" else set()
        if group_name == "legal_basis":
            own = {"E02.02"}
        return [
            Row(row_title(group, row), self.entries(group_name, row, skip={*own, *skip}))
            for row in rows
        ]

    def block(self, group_name: str, heading: str = "", **options: Any) -> Block:
        return Block(heading, self.entries(group_name, self.single(group_name), **options))

    # -- parts of the guide ----------------------------------------------------

    def title(self) -> str:
        return str((self.meta.get("item") or {}).get("name") or "")

    def subtitle(self) -> str:
        return self.value_text(REGISTRY["B00.03"], self.single("basic_info").get("B00.03"))

    def header(self) -> list[Entry]:
        item = self.meta.get("item") or {}
        found = []
        if item.get("basic_code"):
            found.append(Entry(_t("基本编码", "Basic code"), str(item["basic_code"])))
        found += self.entries("basic_info", self.single("basic_info"), only=["B00.01", "B00.02"])
        found += self.entries("basic_info", self.single("basic_info"), only=["B00.04"])
        return found

    def summary(self) -> list[Entry]:
        """The four facts an applicant asks first, in plain words."""
        basic = self.single("basic_info")
        limits = self.single("time_limit")
        found = []
        if not is_empty(limits.get("E06.05")) or not is_empty(limits.get("E06.06")):
            text = format_duration(limits.get("E06.05"), REGISTRY["E06.06"], limits.get("E06.06"))
            found.append(
                Entry(_t("多久办好", "How long"), _t(f"承诺 {text} 内办结", f"Within {text}"))
            )
        charged = self.single("fee").get("E08.01")
        if charged is not None:
            found.append(
                Entry(
                    _t("是否收费", "Fee"),
                    _t("收费", "Charged") if charged else _t("不收费", "Free of charge"),
                )
            )
        visits = basic.get("B00.19")
        if visits is not None:
            text = (
                _t("不用跑现场，可全程网上办理", "No visit needed: everything can be done online")
                if visits == 0
                else _t(f"最多跑 {visits} 次", f"At most {visits} visit(s)")
            )
            found.append(Entry(_t("跑动次数", "Visits"), text))
        where = self.single("service").get("E12.11")
        if not is_empty(where):
            found.append(Entry(_t("在哪儿办", "Where"), str(where)))
        online = basic.get("B00.17")
        if not is_empty(online) and _SAFE_URL.match(str(online)):
            found.append(Entry(_t("网上办理", "Online"), str(online), href=str(online)))
        return found

    def version(self) -> list[Entry]:
        version = self.meta.get("version") or {}
        found = []
        if version.get("number") is not None:
            found.append(Entry(_t("版本号", "Version"), str(version["number"])))
        effective = version.get("effective_from") or self.single("basic_info").get("B00.28")
        if effective:
            found.append(Entry(_t("实施日期", "Effective date"), format_date(str(effective))))
        if self.published_on is not None:
            found.append(
                Entry(_t("发布日期", "Published"), format_date(self.published_on.isoformat()))
            )
        department = (self.meta.get("department") or {}).get("name")
        if department:
            found.append(Entry(_t("编制部门", "Department"), str(department)))
        return found

    def filled_sections(self) -> list[Section]:
        """The sections with something to show, without their empty blocks."""
        found = []
        for section in self.sections():
            blocks = [block for block in section.blocks if block]
            if blocks:
                found.append(Section(section.slug, section.title, blocks))
        return found

    def sections(self) -> list[Section]:
        return [
            Section(
                "basic",
                _t("基本信息", "Basic information"),
                [self.block("basic_info", skip=["B00.01", "B00.02", "B00.03", "B00.04", "B00.28"])],
            ),
            self._simple("scope", "acceptance_scope"),
            Section(
                "basis",
                _section_label(REGISTRY.group("legal_basis")),
                [Block(rows=self.row_list("legal_basis", self.rows("legal_basis")))],
            ),
            self._simple("agency", "implementing_agency"),
            self._conditions(),
            self._materials(),
            self._procedure(),
            Section(
                "time-limits",
                _t("办理时限", "Time limits"),
                [
                    self.block("time_limit"),
                    Block(
                        _t("特别程序", "Special procedures"),
                        rows=self.row_list("special_procedure", self.rows("special_procedure")),
                    ),
                ],
            ),
            Section(
                "fees",
                _t("收费标准", "Fees"),
                [self.block("fee"), Block(rows=self.row_list("fee_item", self.rows("fee_item")))],
            ),
            self._simple("result", "result", _t("审批结果", "Result")),
            self._simple("quantity", "quantity_limit", _t("数量限制", "Quantity limits")),
            Section(
                "intermediary",
                _t("中介服务", "Intermediary services"),
                [
                    self.block("intermediary"),
                    Block(
                        rows=self.row_list(
                            "intermediary_service", self.rows("intermediary_service")
                        )
                    ),
                ],
            ),
            Section(
                "documents",
                _t("相关表格和文书", "Forms and documents"),
                [Block(rows=self.row_list("document", self.rows("document")))],
            ),
            self._other_processes(),
            self._simple("supervision", "supervision"),
            Section(
                "contact",
                _t("咨询和投诉", "Consultation and complaints"),
                [
                    self.block("service", _t("咨询方式", "Consultation"), only=_codes(1, 5)),
                    self.block("service", _t("监督投诉", "Complaints"), only=_codes(6, 10)),
                ],
            ),
            Section(
                "place",
                _t("办理地点和时间", "Where and when"),
                [self.block("service", only=_codes(11, 19))],
            ),
            Section(
                "faq",
                _t("常见问题", "Frequently asked questions"),
                [Block(faq=self._faq())],
            ),
        ]

    def _simple(self, slug: str, group_name: str, title: str = "") -> Section:
        group = REGISTRY.group(group_name)
        return Section(slug, title or _section_label(group), [self.block(group_name)])

    def _conditions(self) -> Section:
        kind = REGISTRY["E04.01"]
        blocks = []
        for code in REGISTRY.codelist(kind.codelist).values:
            rows = [r for r in self.rows("condition") if r.get("E04.01") == code]
            blocks.append(
                Block(
                    code_label(kind, code), rows=self.row_list("condition", rows, skip=["E04.01"])
                )
            )
        return Section("conditions", _t("申请条件", "Conditions"), [b for b in blocks if b])

    def _materials(self) -> Section:
        indexed = list(enumerate(self.rows("material")))
        indexed.sort(
            key=lambda pair: (pair[1].get("E05.28") is None, pair[1].get("E05.28") or 0, pair[0])
        )
        rows = self.row_list("material", [row for _index, row in indexed], skip=["E05.28"])
        return Section("materials", _t("申请材料", "Application materials"), [Block(rows=rows)])

    def _links(self, process: str | None) -> list[Step]:
        """Link benchmark rows of one process (None: the main flow), in link order."""
        order = REGISTRY.codelist("process_code").values
        rows = []
        for index, row in enumerate(self.rows("link_benchmark")):
            code = row.get("PL.01")
            if process is None and code not in MAIN_PROCESSES and code is not None:
                continue
            if process is not None and code != process:
                continue
            position = order.index(code) if code in order else -1
            link_order = row.get("PL.03")
            rows.append(((position, link_order is None, link_order or 0, index), row))
        rows.sort(key=lambda pair: pair[0])
        steps = []
        for number, (_key, row) in enumerate(rows, start=1):
            time = self.entries("link_benchmark", row, only=["PL.15"])
            steps.append(
                Step(str(number), str(row.get("PL.02") or ""), time[0].value if time else "")
            )
        return steps

    def _chart(self, steps: list[Step], heading: str) -> Block:
        if not steps:
            return Block()
        title = f"{heading}：" + " → ".join(step.name for step in steps)
        return Block(chart=flow_chart(steps, title, font_family=self.chart_fonts))

    def _procedure(self) -> Section:
        blocks = [self._chart(self._links(None), _t("办理流程", "Procedure"))]
        for name in ("appointment", "application", "acceptance", "review", "decision"):
            blocks.append(self.block(name, _section_label(REGISTRY.group(name))))
        for name in ("delivery", "disclosure"):
            blocks.append(self.block(name, _section_label(REGISTRY.group(name))))
        return Section("procedure", _t("办理流程", "Procedure"), [b for b in blocks if b])

    def _other_processes(self) -> Section:
        process = REGISTRY["PX.01"]
        blocks = []
        for row in self.rows("other_process"):
            if row.get("PX.02") is False:
                continue
            heading = self.value_text(process, row.get("PX.01")) or _t("其他流程", "Other process")
            block = Block(heading, self.entries("other_process", row, skip=["PX.01", "PX.02"]))
            block.chart = self._chart(self._links(row.get("PX.01")), heading).chart
            blocks.append(block)
        return Section("other-processes", _t("变更、延续、注销等", "Other processes"), blocks)

    def _faq(self) -> list[tuple[str, str]]:
        return [
            (str(row.get("E12.20") or ""), str(row.get("E12.21") or ""))
            for row in self.rows("faq")
            if not is_empty(row.get("E12.20"))
        ]


class _NoRowNames:
    """`display` needs row names only for references, which are handled before it."""

    def name(self, group: str, row_id: str) -> str:  # pragma: no cover - never called
        return ""


_NO_ROW_NAMES: Any = _NoRowNames()


def _codes(first: int, last: int) -> list[str]:
    return [f"E12.{n:02d}" for n in range(first, last + 1)]


def _section_label(group: Group) -> str:
    for section in REGISTRY.sections:
        if section.code == group.section:
            return str(section.label)
    return group.name
