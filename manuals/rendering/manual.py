"""The business manual (业务手册) for approval staff, as one HTML document.

The manual is built from a snapshot dict only (a `PublishedSnapshot.data` or the
output of `standards.snapshot.snapshot`), never from the draft tables. It shows
the fields whose registry audience is "manual" or "both"; guide-only fields
never reach the template.

The output is deterministic: the same snapshot gives the same bytes. The manual
is an official Chinese document, so it is always rendered in Simplified Chinese
whatever the active language; every value goes through the template's
autoescaping.

Every heading carries a stable id (chapter, row position, process code, link
position), so that the table of contents can link to it and the PDF can add
page numbers with CSS `target-counter()`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from standards.changes.durations import duration_pairs, format_duration
from standards.changes.values import RowNames, display, is_empty, joined
from standards.registry import REGISTRY, Field, FieldType, Group

MANUAL_LANGUAGE = "zh-hans"
TEMPLATE = "manuals/manual/manual.html"

GENERAL_PROCESSES = ("P01", "P02", "P03", "P04", "P05", "P06", "P07")
SUPERVISION = "P08"
ELEMENT_SECTIONS = tuple(f"E{n:02d}" for n in range(1, 14))
# Fields shown in their own chapter rather than among their section's fields.
COMPLAINT_FIELDS = ("E12.07",)  # the complaint channel staff see (E12.06/08-10 are guide-only)
COMPLAINT_HANDLING = "P08.10"
# Fields that make up a row's heading, so they are not listed again below it.
LINK_HEADING_FIELDS = ("PL.01", "PL.02", "PL.03")
OTHER_PROCESS_HEADING_FIELDS = ("PX.01", "PX.02")

CHINESE_DIGITS = "零一二三四五六七八九"


@dataclass
class Item:
    """One field as the manual shows it: its label and its value as text."""

    label: str
    text: str
    long: bool = False


@dataclass
class Node:
    """A headed part of the manual: a chapter, a row, a process or a link."""

    id: str
    title: str
    level: int
    items: list[Item] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    # An ordered list of plain entries (the appendices' lists).
    entries: list[str] = field(default_factory=list)
    empty_note: str = ""
    # Whether the table of contents lists the children too (the processes).
    toc_children: bool = False


def render_manual_html(
    snapshot: Mapping[str, Any],
    *,
    manual_number: str | None = None,
    published_on: datetime.date | None = None,
) -> str:
    """The whole manual as a standalone HTML document.

    `published_on` is the publication date, kept on `PublishedSnapshot` rather
    than in the snapshot (None for a draft).
    """
    with translation.override(MANUAL_LANGUAGE):
        context = manual_context(snapshot, manual_number=manual_number, published_on=published_on)
        return render_to_string(TEMPLATE, context)


def default_manual_number(snapshot: Mapping[str, Any]) -> str:
    """The manual number derived from the item's basic code and the version number."""
    meta = snapshot["standard"]
    return f"YWSC-{meta['item']['basic_code']}-V{int(meta['version']['number']):02d}"


def manual_context(
    snapshot: Mapping[str, Any],
    *,
    manual_number: str | None = None,
    published_on: datetime.date | None = None,
) -> dict[str, Any]:
    """The template context; call it with the manual language active."""
    builder = _ManualBuilder(snapshot)
    chapters = builder.chapters()
    appendices = builder.appendices()
    cover = builder.cover(manual_number or default_manual_number(snapshot))
    cover["published_date"] = chinese_date(published_on.isoformat()) if published_on else ""
    return {
        "language": MANUAL_LANGUAGE,
        "cover": cover,
        "foreword": builder.foreword(),
        "chapters": chapters,
        "appendices": appendices,
        "toc": [_toc_entry(node) for node in [*chapters, *appendices]],
    }


def _toc_entry(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "title": node.title,
        "children": [{"id": c.id, "title": c.title} for c in node.children]
        if node.toc_children
        else [],
    }


def chinese_number(number: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十 (enough for chapter numbers below 100)."""
    if number < 10:
        return CHINESE_DIGITS[number]
    tens, units = divmod(number, 10)
    head = "" if tens == 1 else CHINESE_DIGITS[tens]
    return f"{head}十{CHINESE_DIGITS[units] if units else ''}"


def chinese_date(value: str | None) -> str:
    if not value:
        return "（未确定）"
    year, month, day = (int(part) for part in value.split("-"))
    return f"{year}年{month}月{day}日"


class _ManualBuilder:
    def __init__(self, snapshot: Mapping[str, Any]) -> None:
        self.meta: Mapping[str, Any] = snapshot["standard"]
        self.content: Mapping[str, Any] = snapshot["content"]
        self.names = self._row_names()
        self.process_codes = REGISTRY.codelist("process_code").values

    # -- references ---------------------------------------------------------

    def _row_names(self) -> RowNames:
        """Names of rows as the manual cites them (all from manual fields)."""
        names = RowNames.of(self.content)
        for row in self.rows("legal_basis"):
            law = row.get("E02.02") or ""
            article = row.get("E02.08") or ""
            if law or article:
                names.add("legal_basis", str(row["row_id"]), f"{law}{article}")
        naming = {
            "post": "E11.01",
            "document": "E13.01",
            "material": "E05.01",
            "fee_item": "E08.02",
        }
        for group, name_field in naming.items():
            for row in self.rows(group):
                if not is_empty(row.get(name_field)):
                    names.add(group, str(row["row_id"]), str(row[name_field]))
        return names

    def rows(self, group: str) -> list[Mapping[str, Any]]:
        return list(self.content.get(group) or [])

    def record(self, group: str) -> Mapping[str, Any]:
        return self.content.get(group) or {}

    # -- fields ---------------------------------------------------------------

    def items(
        self, group: Group, record: Mapping[str, Any], *, skip: Sequence[str] = ()
    ) -> list[Item]:
        """The filled manual fields of one record, a duration joined with its unit."""
        pairs = duration_pairs(group)
        units = {unit.code for unit in pairs.values()}
        shown = []
        for f in group.fields:
            if not f.in_manual or f.code in skip or f.code in units:
                continue
            value = record.get(f.code)
            if f.code in pairs:
                unit_field = pairs[f.code]
                unit = record.get(unit_field.code)
                if is_empty(value) and is_empty(unit):
                    continue
                shown.append(Item(str(f.label), format_duration(value, unit_field, unit)))
                continue
            if is_empty(value):
                continue
            shown.append(self.item(f, value))
        return shown

    def item(self, f: Field, value: Any) -> Item:
        if f.type is FieldType.REF and f.ref_group == "legal_basis":
            # Article numbers hold "、" themselves, so the bases are set apart with "；".
            text = "；".join(self.names.name("legal_basis", str(row_id)) for row_id in value)
            return Item(str(f.label), text)
        return Item(str(f.label), display(f, value, self.names), f.type is FieldType.LONGTEXT)

    # -- the parts of the manual ----------------------------------------------

    def cover(self, manual_number: str) -> dict[str, Any]:
        version = self.meta["version"]
        effective = version.get("effective_from") or self.record("basic_info").get("B00.28")
        return {
            "title": f"{self.meta['item']['name']}业务手册",
            "item_name": self.meta["item"]["name"],
            "basic_code": self.meta["item"]["basic_code"],
            "manual_number": manual_number,
            "department": self.meta["department"]["name"],
            "region": self.meta["region"]["name"],
            "version": version["number"],
            "effective_date": chinese_date(effective),
        }

    def foreword(self) -> list[str]:
        item = self.meta["item"]["name"]
        department = self.meta["department"]["name"]
        number = self.meta["version"]["number"]
        return [
            f"为规范“{item}”事项的审批行为，统一审查标准，明确岗位职责和自由裁量基准，"
            f"{department}依据本事项已发布的第{number}版实施标准编制本手册。",
            f"本手册供{department}审批工作人员在受理、审查、决定、制证送达、决定公开及"
            "监督检查等环节使用，内容与已发布的实施标准一致；"
            "实施标准修订时，以新版本标准生成的手册为准。",
        ]

    def chapters(self) -> list[Node]:
        chapters = [self.basic_info_chapter()]
        chapters += [self.element_chapter(code) for code in ELEMENT_SECTIONS]
        chapters.append(self.process_chapter())
        chapters.append(self.supervision_chapter())
        chapters.append(self.complaint_chapter())
        for number, chapter in enumerate(chapters, start=1):
            chapter.title = f"第{chinese_number(number)}章 {chapter.title}"
        return chapters

    def basic_info_chapter(self) -> Node:
        group = REGISTRY.group("basic_info")
        return Node("ch-b00", "事项基本信息", 2, items=self.items(group, self.record("basic_info")))

    def element_chapter(self, code: str) -> Node:
        section = next(s for s in REGISTRY.sections if s.code == code)
        chapter = Node(f"ch-{code.lower()}", str(section.label), 2)
        for group in section.groups:
            if group.repeats:
                rows = self.rows(group.name)
                chapter.children += [
                    self.row_node(group, row, index) for index, row in enumerate(rows)
                ]
            else:
                chapter.items += self.items(group, self.record(group.name), skip=COMPLAINT_FIELDS)
        if not chapter.items and not chapter.children:
            chapter.empty_note = "本事项无此项内容。"
        return chapter

    def row_node(self, group: Group, row: Mapping[str, Any], index: int) -> Node:
        slug = group.name.replace("_", "-")
        return Node(
            f"{slug}-{index + 1}",
            f"{index + 1}. {self.row_title(group, row, index)}",
            3,
            items=self.items(group, row),
        )

    def row_title(self, group: Group, row: Mapping[str, Any], index: int) -> str:
        match group.name:
            case "legal_basis" | "post" | "document" | "material" | "fee_item":
                return self.names.name(group.name, str(row["row_id"]))
            case "condition":
                return f"条件{index + 1}"
            case "special_procedure":
                return self._choice(group, row, "E06.11") or f"特别程序{index + 1}"
            case "intermediary_service":
                return str(row.get("E10.02") or f"中介服务{index + 1}")
        return f"{group.name} {index + 1}"

    def _choice(self, group: Group, row: Mapping[str, Any], code: str) -> str:
        value = row.get(code)
        return "" if is_empty(value) else display(REGISTRY[code], value, self.names)

    # -- processes ------------------------------------------------------------

    def links_by_process(self) -> dict[str, list[Mapping[str, Any]]]:
        """The PL rows of each process, in link order (rows without an order last)."""
        grouped: dict[str, list[tuple[int, int, Mapping[str, Any]]]] = {}
        for index, row in enumerate(self.rows("link_benchmark")):
            order = row.get("PL.03")
            key = order if isinstance(order, int) else 1 << 30
            grouped.setdefault(str(row.get("PL.01") or ""), []).append((key, index, row))
        return {code: [row for *_key, row in sorted(rows)] for code, rows in grouped.items()}

    def process_title(self, code: str) -> str:
        try:
            return f"{code} {REGISTRY.codelist('process_code').label_for(code)}"
        except KeyError:
            return code or "（未指定流程）"

    def process_node(self, code: str, items: list[Item], level: int = 3) -> Node:
        node = Node(f"proc-{code.lower() or 'none'}", self.process_title(code), level, items=items)
        links = self.links_by_process().get(code, [])
        if links:
            benchmark = Node(f"benchmark-{code.lower() or 'none'}", "环节自由裁量基准", level + 1)
            for position, row in enumerate(links, start=1):
                benchmark.children.append(self.link_node(code, row, position, level + 2))
            node.children.append(benchmark)
        if not items and not links:
            node.empty_note = "本流程无审批人员适用的内容。"
        return node

    def link_node(self, code: str, row: Mapping[str, Any], position: int, level: int) -> Node:
        group = REGISTRY.group("link_benchmark")
        name = row.get("PL.02") or "（未命名环节）"
        return Node(
            f"link-{code.lower() or 'none'}-{position}",
            f"环节{position}：{name}",
            level,
            items=self.items(group, row, skip=LINK_HEADING_FIELDS),
        )

    def other_processes(self) -> list[tuple[str, Mapping[str, Any]]]:
        rows = [
            (str(row.get("PX.01") or ""), row)
            for row in self.rows("other_process")
            if row.get("PX.02")
        ]
        return sorted(rows, key=lambda pair: self._process_position(pair[0]))

    def _process_position(self, code: str) -> int:
        return (
            self.process_codes.index(code)
            if code in self.process_codes
            else len(self.process_codes)
        )

    def process_chapter(self) -> Node:
        chapter = Node("ch-processes", "办理流程与环节自由裁量基准", 2, toc_children=True)
        chapter.paragraphs.append(
            "本章按流程列明各流程的办理要求，并按环节顺序列明每个环节的岗位、岗位职责、"
            "审批权限、审查内容、审查方式、通过、补正和不予批准的标准及其依据、环节时限和输出文书。"
        )
        for code in GENERAL_PROCESSES:
            section = next(s for s in REGISTRY.sections if s.code == code)
            items = [
                item
                for group in section.groups
                for item in self.items(group, self.record(group.name))
            ]
            chapter.children.append(self.process_node(code, items))
        group = REGISTRY.group("other_process")
        shown = set(GENERAL_PROCESSES) | {SUPERVISION}
        for code, row in self.other_processes():
            if code in shown:
                continue
            shown.add(code)
            items = self.items(group, row, skip=OTHER_PROCESS_HEADING_FIELDS)
            chapter.children.append(self.process_node(code, items))
        # Links of a process not listed above still belong in the manual.
        orphans = sorted(set(self.links_by_process()) - shown, key=self._process_position)
        chapter.children += [self.process_node(code, []) for code in orphans]
        not_applicable = [
            self.process_title(str(row.get("PX.01") or ""))
            for row in self.rows("other_process")
            if row.get("PX.02") is False
        ]
        if not_applicable:
            chapter.paragraphs.append(f"本事项不适用以下流程：{joined(not_applicable)}。")
        return chapter

    def supervision_chapter(self) -> Node:
        group = REGISTRY.group("supervision")
        items = self.items(group, self.record("supervision"), skip=(COMPLAINT_HANDLING,))
        chapter = self.process_node(SUPERVISION, items, level=2)
        chapter.id = "ch-p08"
        chapter.title = "监督检查"
        return chapter

    def complaint_chapter(self) -> Node:
        chapter = Node("ch-complaints", "投诉举报", 2)
        service = self.record("service")
        for code in COMPLAINT_FIELDS:
            if not is_empty(service.get(code)):
                chapter.items.append(self.item(REGISTRY[code], service[code]))
        handling = self.record("supervision").get(COMPLAINT_HANDLING)
        if not is_empty(handling):
            chapter.items.append(self.item(REGISTRY[COMPLAINT_HANDLING], handling))
        if not chapter.items:
            chapter.empty_note = "本事项无此项内容。"
        return chapter

    # -- appendices -------------------------------------------------------------

    def appendices(self) -> list[Node]:
        return [self.documents_appendix(), self.flow_appendix()]

    def documents_appendix(self) -> Node:
        node = Node("app-documents", "附录一 表格文书目录", 2)
        group = REGISTRY.group("document")
        for row in self.rows("document"):
            name = self.names.name("document", str(row["row_id"]))
            details = [
                self._choice(group, row, "E13.02"),
                self._choice(group, row, "E13.07"),
            ]
            detail = "；".join(d for d in details if d)
            node.entries.append(f"{name}（{detail}）" if detail else name)
        if not node.entries:
            node.empty_note = "本事项无表格文书。"
        return node

    def flow_appendix(self) -> Node:
        node = Node("app-flow", "附录二 各流程环节流转", 2, toc_children=True)
        links = self.links_by_process()
        for code in sorted(links, key=self._process_position):
            flow = Node(f"flow-{code.lower() or 'none'}", self.process_title(code), 3)
            for row in links[code]:
                post = joined(
                    self.names.name("post", str(row_id)) for row_id in row.get("PL.04") or []
                )
                flow.entries.append(
                    f"{row.get('PL.02') or '（未命名环节）'}" + (f"（{post}）" if post else "")
                )
            node.children.append(flow)
        if not node.children:
            node.empty_note = "本事项未设置环节自由裁量基准。"
        return node
