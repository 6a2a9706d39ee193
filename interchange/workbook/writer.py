"""The Excel export of a published snapshot (see `layout` for the layout).

Reads nothing but the snapshot dict it is given, so the export of a published
version is built from `PublishedSnapshot.data` only.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from interchange.audience import Audience, public_codes, visible_groups
from standards.registry import REGISTRY, Field, FieldType

from . import layout
from .cells import cell_value, excel_text

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
AUTHOR = "行政审批标准管理系统"
_TYPE_LABELS = {
    FieldType.TEXT: "文本（200字以内）",
    FieldType.LONGTEXT: "长文本",
    FieldType.CHOICE: "单选代码",
    FieldType.MULTICHOICE: "多选代码，以英文逗号分隔",
    FieldType.BOOLEAN: "是/否",
    FieldType.INTEGER: "整数",
    FieldType.DURATION: "整数（时长）",
    FieldType.DATE: "日期（YYYY-MM-DD）",
    FieldType.URL: "网址",
    FieldType.EMAIL: "电子邮箱",
    FieldType.PHONE: "电话号码",
    FieldType.FILE: "已上传文件（仅可沿用本标准已有文件）",
    FieldType.REF: "引用行标识，每行一个",
}


def exported_fields(group: Any, audience: Audience) -> list[Field]:
    if audience is Audience.FULL:
        return list(group.fields)
    codes = set(public_codes(group))
    return [f for f in group.fields if f.code in codes]


def build_workbook(data: dict[str, Any], audience: Audience) -> bytes:
    """The workbook of snapshot `data` (already reduced to `audience`) as .xlsx bytes."""
    book = Workbook()
    info = book.active or book.create_sheet()
    info.title = layout.INFO_SHEET
    _write_info(info, data, audience)
    groups = list(REGISTRY.groups.values()) if audience is Audience.FULL else visible_groups()
    content = data.get("content") or {}
    used_codelists: list[str] = []
    for spec in layout.sheet_specs():
        if spec.group not in groups:
            continue
        fields = exported_fields(spec.group, audience)
        sheet = book.create_sheet(spec.title)
        _write_group(sheet, spec.group, fields, content.get(spec.group.name))
        used_codelists += [f.codelist for f in fields if f.codelist not in ("", *used_codelists)]
    _write_codes(book.create_sheet(layout.CODES_SHEET), used_codelists)
    book.properties.creator = AUTHOR
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_info(sheet: Worksheet, data: dict[str, Any], audience: Audience) -> None:
    meta = data.get("standard") or {}
    values = {
        "format": layout.FORMAT_ID,
        "format_version": layout.FORMAT_VERSION,
        "schema_version": data.get("schema_version"),
        "item_code": (meta.get("item") or {}).get("basic_code"),
        "item_name": (meta.get("item") or {}).get("name"),
        "department_code": (meta.get("department") or {}).get("code"),
        "department_name": (meta.get("department") or {}).get("name"),
        "version": (meta.get("version") or {}).get("number"),
        "audience": "公开（办事指南字段）"
        if audience is Audience.PUBLIC
        else "完整（含业务手册字段）",
    }
    for row, (key, label) in enumerate(layout.INFO_KEYS, start=1):
        value = values[key]
        sheet.cell(row, 1, label).font = Font(bold=True)
        sheet.cell(row, 2, excel_text(value) if isinstance(value, str) else value)
        sheet.cell(row, 3, key)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 48
    sheet.column_dimensions["C"].hidden = True


def _write_group(sheet: Worksheet, group: Any, fields: list[Field], value: Any) -> None:
    columns: list[tuple[str, str, Field | None]] = []
    if group.repeats:
        columns.append((layout.ROW_ID, layout.ROW_ID_LABEL, None))
    columns += [(f.code, f.label_zh, f) for f in fields]
    for index, (code, label, field) in enumerate(columns, start=1):
        sheet.cell(layout.CODE_ROW, index, code)
        header = sheet.cell(layout.LABEL_ROW, index, label)
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        header.comment = Comment(_header_note(code, field), AUTHOR, width=320, height=160)
        sheet.column_dimensions[get_column_letter(index)].width = 36 if field is None else 22
    sheet.row_dimensions[layout.CODE_ROW].hidden = True
    sheet.freeze_panes = f"A{layout.FIRST_DATA_ROW}"
    rows = (value or []) if group.repeats else [value or {}]
    for offset, row in enumerate(rows):
        for index, (code, _label, field) in enumerate(columns, start=1):
            cell = sheet.cell(layout.FIRST_DATA_ROW + offset, index)
            if field is None:
                cell.value = excel_text(str(row.get("row_id") or ""))
                continue
            cell.value = cell_value(field, row.get(code))
            if field.type is FieldType.DATE:
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.number_format = "@"
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _header_note(code: str, field: Field | None) -> str:
    if field is None:
        return (
            f"{code}\n行的唯一标识。修改已有行时请保留；新增行可留空，"
            "或填写一个本表内唯一的简短标识以便其他表引用。"
        )
    lines = [code, _TYPE_LABELS[field.type]]
    if field.codelist:
        codes = REGISTRY.codelist(field.codelist)
        lines.append("；".join(f"{c.code}={c.label_zh}" for c in codes)[:600])
    if field.type is FieldType.REF:
        target = next(s for s in layout.sheet_specs() if s.group.name == field.ref_group)
        lines.append(f"引用“{target.title}”表的行标识")
    return "\n".join(lines)


def _write_codes(sheet: Worksheet, codelists: list[str]) -> None:
    for index, label in enumerate(("代码表", "代码", "名称"), start=1):
        sheet.cell(1, index, label).font = Font(bold=True)
    row = 2
    for name in codelists:
        for code in REGISTRY.codelist(name):
            sheet.cell(row, 1, name)
            sheet.cell(row, 2, excel_text(code.code))
            sheet.cell(row, 3, excel_text(code.label_zh))
            row += 1
    sheet.column_dimensions["C"].width = 40
