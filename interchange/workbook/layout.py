"""Where everything sits in the workbook, shared by the writer and the reader.

- Sheet 说明 (`INFO_SHEET`): what the workbook holds (format, item, department,
  version, audience), as key/value rows. The import reads the format and item.
- One sheet per registry section for its single-valued group (B00, E01, ...,
  P08) and one per repeating group (E02 legal bases, E06 special procedures,
  ...). Row 1 holds the machine-readable field codes (hidden), row 2 the
  Chinese labels (each with a comment naming the code, type and code list),
  data from row 3. A single-valued group has exactly one data row; a
  repeating group's first column is the row id (`ROW_ID`) that references in
  other sheets point at.
- Sheet 代码表 (`CODES_SHEET`): the code lists, for the people filling it in.
"""

from __future__ import annotations

from dataclasses import dataclass

from standards.registry import REGISTRY, Field, Group

FORMAT_ID = "approval-standard-workbook"
FORMAT_VERSION = 1
INFO_SHEET = "说明"
CODES_SHEET = "代码表"
ROW_ID = "row_id"
ROW_ID_LABEL = "行标识"
CODE_ROW = 1
LABEL_ROW = 2
FIRST_DATA_ROW = 3
MAX_ROWS_PER_GROUP = 500  # the editor's formsets accept at most this many rows

# Info sheet keys (column A holds the label, column B the value, column C the key).
INFO_KEYS = (
    ("format", "格式"),
    ("format_version", "格式版本"),
    ("schema_version", "快照结构版本"),
    ("item_code", "事项基本编码"),
    ("item_name", "事项名称"),
    ("department_code", "实施部门编码"),
    ("department_name", "实施部门"),
    ("version", "版本号"),
    ("audience", "导出范围"),
)

# Repeating groups that share a section with a single-valued group need a
# sheet name of their own; the registry names sections, not groups.
_GROUP_TITLES = {
    "special_procedure": "特别程序",
    "fee_item": "收费项目",
    "intermediary_service": "中介服务事项",
    "faq": "常见问题",
}
_FORBIDDEN_IN_TITLES = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


@dataclass(frozen=True)
class SheetSpec:
    group: Group
    title: str

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.group.fields


def sheet_title(group: Group) -> str:
    section = next(s for s in REGISTRY.sections if s.code == group.section)
    singles = [g for g in section.groups if not g.repeats]
    if group.repeats and singles:
        label = _GROUP_TITLES.get(group.name, group.name)
    else:
        label = section.label_zh
    # Excel limits sheet names to 31 characters and forbids a few.
    return f"{section.code} {label}".translate(_FORBIDDEN_IN_TITLES)[:31]


def sheet_specs() -> list[SheetSpec]:
    """Every group's sheet, in registry order."""
    return [SheetSpec(group, sheet_title(group)) for group in REGISTRY.groups.values()]
