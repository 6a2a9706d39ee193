"""Reading an uploaded workbook: file checks first, then every sheet, row and cell.

The file is checked before openpyxl sees it: the extension, the size
(`UPLOAD_MAX_BYTES`), the content (an .xlsx is a ZIP with the parts of a
workbook, not a renamed file) and the archive (entry count, declared and
real unpacked sizes, compression ratio, encryption, macros) by
`standards.uploads.validate_upload`, plus a tighter limit on the unpacked
total than uploads in general have, because openpyxl holds the XML in memory.

Then each cell is read as the registry type of its column. Everything wrong
is collected (not only the first problem), with the sheet, row and column.
Formulas and text that a spreadsheet would run as one (starting with =, +, -
or @) are refused; a text the export escaped with a leading apostrophe is
read back without it.
"""

from __future__ import annotations

import datetime
import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from interchange.problems import ImportRefused, Problem
from standards.registry import REGISTRY, Field, FieldType, Group
from standards.uploads import max_upload_bytes, validate_upload

from . import layout
from .cells import ESCAPE, FALSE_TEXT, TRUE_TEXT

# openpyxl keeps every cell of a read workbook in memory as Python objects
# (about 100 bytes each, and the XML is parsed whole): 40 MB of unpacked XML
# is far beyond any real standard (a full one is well under 1 MB).
MAX_UNPACKED_BYTES: Final = 40 * 1024 * 1024
MAX_COLUMNS: Final = 64
FORMULA_START: Final = ("=", "+", "-", "@")
_NEGATIVE_NUMBER = re.compile(r"^-\d+(\.\d+)?$")
_LIST_SPLIT = re.compile(r"[,，、;；\s]+")
_TRUE = {TRUE_TEXT, "TRUE", "true", "True"}
_FALSE = {FALSE_TEXT, "FALSE", "false", "False"}
MAX_ROW_ID_CHARS: Final = 36


@dataclass
class Position:
    sheet: str
    row: int
    column: str


@dataclass
class ParsedWorkbook:
    """The workbook's content in the snapshot's shape, with where each value came from."""

    item_code: str = ""
    content: dict[str, Any] = field(default_factory=dict)
    # (group, row index or -1, field code or "row_id") -> cell
    positions: dict[tuple[str, int, str], Position] = field(default_factory=dict)
    # Row ids the workbook invented for rows without a UUID (label -> uuid), per group.
    invented_ids: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, group: str, row: int, code: str) -> Position | None:
        return self.positions.get((group, row, code))


def check_file(upload: UploadedFile) -> bytes:
    """The upload's bytes, or ImportRefused when the file itself is unacceptable."""
    name = upload.name or ""
    if not name.lower().endswith(".xlsx"):
        raise _refused("file_type", _("Upload an Excel workbook (.xlsx) in the export format."))
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise _refused(
            "file_too_large",
            _("The file is too large: at most %(limit)s MB is allowed.")
            % {"limit": f"{limit / 1024 / 1024:.3g}"},
        )
    try:
        validate_upload(upload)
    except ValidationError as error:
        raise _refused(error.code or "file_invalid", " ".join(error.messages)) from None
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:  # the size the client declared was wrong
        raise _refused(
            "file_too_large",
            _("The file is too large: at most %(limit)s MB is allowed.")
            % {"limit": f"{limit / 1024 / 1024:.3g}"},
        )
    # validate_upload has checked that the declared sizes are the real ones.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refused(
            "archive_too_large",
            _("The workbook unpacks to more than %(limit)s MB and cannot be imported.")
            % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)},
        )
    return data


def read_workbook(data: bytes) -> ParsedWorkbook:
    """Every sheet of a checked file.

    Faults of the whole file raise ImportRefused; faults of cells are listed in `problems`.
    """
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds of errors for damaged files
        raise _refused(
            "file_corrupt",
            _("The file is damaged or is not a workbook. Save it again and upload it."),
        ) from None
    try:
        return _read(book)
    finally:
        book.close()


def _read(book: Any) -> ParsedWorkbook:
    parsed = ParsedWorkbook()
    titles = set(book.sheetnames)
    if layout.INFO_SHEET not in titles:
        raise _refused(
            "missing_sheet",
            _("The sheet “%(sheet)s” is missing: this is not a workbook in the export format.")
            % {"sheet": layout.INFO_SHEET},
            sheet=layout.INFO_SHEET,
        )
    info = _read_info(book[layout.INFO_SHEET])
    if info.get("format") != layout.FORMAT_ID:
        raise _refused(
            "wrong_format",
            _(
                "This workbook was not exported by this system "
                "(its sheet “%(sheet)s” does not name the format)."
            )
            % {"sheet": layout.INFO_SHEET},
            sheet=layout.INFO_SHEET,
        )
    parsed.item_code = str(info.get("item_code") or "")
    specs = layout.sheet_specs()
    missing = [s for s in specs if s.title not in titles]
    if missing:
        raise ImportRefused(
            [
                Problem(
                    "missing_sheet",
                    _("The sheet “%(sheet)s” is missing.") % {"sheet": s.title},
                    sheet=s.title,
                )
                for s in missing
            ]
        )
    known = {s.title for s in specs} | {layout.INFO_SHEET, layout.CODES_SHEET}
    for title in book.sheetnames:
        if title not in known:
            parsed.problems.append(
                Problem(
                    "unknown_sheet",
                    _("The sheet “%(sheet)s” is not part of the format.") % {"sheet": title},
                    sheet=title,
                )
            )
    for spec in specs:
        _read_group(book[spec.title], spec, parsed)
    _check_references(parsed)
    return parsed


def _read_info(sheet: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for row in sheet.iter_rows(
        min_row=1, max_row=len(layout.INFO_KEYS) + 5, max_col=3, values_only=True
    ):
        if len(row) >= 3 and isinstance(row[2], str):
            values[row[2]] = row[1]
    return values


def _read_group(sheet: Any, spec: layout.SheetSpec, parsed: ParsedWorkbook) -> None:
    group = spec.group
    rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS)
    header = [c.value for c in next(rows, ())]
    columns = _columns(header, spec, parsed)
    if columns is None:
        # The layout is broken: the import stops before reading any content.
        parsed.content[group.name] = (
            [] if group.repeats else {f.code: _empty(f) for f in group.fields}
        )
        return
    next(rows, None)  # the labels
    records: list[dict[str, Any]] = []
    for row_number, cells in enumerate(rows, start=layout.FIRST_DATA_ROW):
        values = {index: cell for index, cell in enumerate(cells) if cell.value not in (None, "")}
        if not values:
            continue
        stray = [i for i in values if i not in columns]
        for index in stray:
            parsed.problems.append(
                Problem(
                    "stray_value",
                    _("A value stands in a column without a field code."),
                    spec.title,
                    row_number,
                    get_column_letter(index + 1),
                )
            )
        if len(records) >= (layout.MAX_ROWS_PER_GROUP if group.repeats else 1):
            parsed.problems.append(
                Problem(
                    "too_many_rows",
                    _("Too many rows: this sheet holds at most %(count)s.")
                    % {"count": layout.MAX_ROWS_PER_GROUP if group.repeats else 1},
                    spec.title,
                    row_number,
                )
            )
            break
        record = _read_row(cells, columns, spec, row_number, len(records), parsed)
        records.append(record)
    if group.repeats:
        parsed.content[group.name] = records
    else:
        parsed.content[group.name] = (
            records[0] if records else {f.code: _empty(f) for f in group.fields}
        )
        if not records:
            for f in group.fields:
                parsed.positions[(group.name, -1, f.code)] = Position(
                    spec.title,
                    layout.FIRST_DATA_ROW,
                    get_column_letter(_index_of(columns, f.code) + 1),
                )


def _index_of(columns: dict[int, str], code: str) -> int:
    return next(i for i, c in columns.items() if c == code)


def _columns(
    header: list[Any], spec: layout.SheetSpec, parsed: ParsedWorkbook
) -> dict[int, str] | None:
    """Column index -> field code (or row_id), from the hidden code row; None if unusable."""
    group = spec.group
    expected = [f.code for f in group.fields]
    columns: dict[int, str] = {}
    ok = True
    for index, value in enumerate(header):
        if value in (None, ""):
            continue
        code = str(value).strip()
        letter = get_column_letter(index + 1)
        if code == layout.ROW_ID and group.repeats:
            pass
        elif code not in expected:
            known = REGISTRY.get(code)
            message = (
                _("The field code %(code)s does not belong on this sheet.")
                if known
                else _("Unknown field code %(code)s.")
            ) % {"code": code}
            parsed.problems.append(
                Problem("unknown_field", message, spec.title, layout.CODE_ROW, letter, code)
            )
            ok = False
            continue
        if code in columns.values():
            parsed.problems.append(
                Problem(
                    "duplicate_field",
                    _("The field code %(code)s appears twice.") % {"code": code},
                    spec.title,
                    layout.CODE_ROW,
                    letter,
                    code,
                )
            )
            ok = False
            continue
        columns[index] = code
    wanted = ([layout.ROW_ID] if group.repeats else []) + expected
    for code in wanted:
        if code not in columns.values():
            field_ = REGISTRY.get(code)
            label = field_.label_zh if field_ else layout.ROW_ID_LABEL
            parsed.problems.append(
                Problem(
                    "missing_field",
                    _("The column of field %(code)s (%(label)s) is missing.")
                    % {"code": code, "label": label},
                    spec.title,
                    layout.CODE_ROW,
                    "",
                    code,
                )
            )
            ok = False
    return columns if ok else None


def _read_row(
    cells: tuple[Any, ...],
    columns: dict[int, str],
    spec: layout.SheetSpec,
    row_number: int,
    row_index: int,
    parsed: ParsedWorkbook,
) -> dict[str, Any]:
    group = spec.group
    key_index = row_index if group.repeats else -1
    record: dict[str, Any] = {}
    for index, code in columns.items():
        cell = cells[index] if index < len(cells) else None
        raw = cell.value if cell is not None else None
        letter = get_column_letter(index + 1)
        parsed.positions[(group.name, key_index, code)] = Position(spec.title, row_number, letter)
        field_ = None if code == layout.ROW_ID else REGISTRY[code]
        problem = _formula_problem(cell, raw, field_)
        if problem:
            parsed.problems.append(
                Problem("formula", problem, spec.title, row_number, letter, code)
            )
            record[code] = _empty(field_) if field_ else ""
            continue
        if isinstance(raw, str) and raw.startswith(ESCAPE):
            raw = raw[len(ESCAPE) :]
        if field_ is None:
            record["row_id"] = _row_id(raw, group, spec, row_number, letter, parsed)
            continue
        try:
            record[code] = parse_value(field_, raw)
        except ValueError as error:
            parsed.problems.append(
                Problem("invalid_value", str(error), spec.title, row_number, letter, code)
            )
            record[code] = _empty(field_)
    if group.repeats:
        ordered = {"row_id": record.pop("row_id")}
        ordered.update({f.code: record[f.code] for f in group.fields})
        return ordered
    return {f.code: record[f.code] for f in group.fields}


def _formula_problem(cell: Any, raw: Any, field_: Field | None) -> str | None:
    is_formula = (
        (cell is not None and getattr(cell, "data_type", None) == "f")
        or isinstance(raw, (ArrayFormula, DataTableFormula))
        or (isinstance(raw, str) and raw.startswith(FORMULA_START))
    )
    if not is_formula:
        return None
    numeric = field_ is not None and field_.type in (FieldType.INTEGER, FieldType.DURATION)
    if numeric and isinstance(raw, str) and _NEGATIVE_NUMBER.match(raw):
        return None  # a negative number typed as text; the field's own check will judge it
    return _(
        "This cell starts with “%(start)s”, which spreadsheets run as a formula. "
        "Formulas are not accepted: enter the value itself."
    ) % {"start": str(raw)[:1] if isinstance(raw, str) and raw else "="}


def _row_id(
    raw: Any,
    group: Group,
    spec: layout.SheetSpec,
    row_number: int,
    letter: str,
    parsed: ParsedWorkbook,
) -> str:
    label = "" if raw is None else str(raw).strip()
    if len(label) > MAX_ROW_ID_CHARS:
        parsed.problems.append(
            Problem(
                "invalid_value",
                _("A row id has at most %(count)s characters.") % {"count": MAX_ROW_ID_CHARS},
                spec.title,
                row_number,
                letter,
                layout.ROW_ID,
            )
        )
        label = ""
    invented = parsed.invented_ids.setdefault(group.name, {})
    if label:
        try:
            return str(uuid.UUID(label))
        except ValueError:
            if label in invented:
                return invented[label] + "#duplicate"
            invented[label] = str(uuid.uuid4())
            return invented[label]
    return str(uuid.uuid4())


def parse_value(field_: Field, raw: Any) -> Any:
    """The snapshot value for a cell of `field_`; ValueError (translated message) otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return _empty(field_)
    match field_.type:
        case FieldType.BOOLEAN:
            if raw is True or (isinstance(raw, str) and raw.strip() in _TRUE):
                return True
            if raw is False or (isinstance(raw, str) and raw.strip() in _FALSE):
                return False
            raise ValueError(_("Enter 是 or 否."))
        case FieldType.INTEGER | FieldType.DURATION:
            return _integer(raw)
        case FieldType.DATE:
            return _date(raw)
        case FieldType.CHOICE:
            code = _text(raw).strip()
            if code not in REGISTRY.codelist(field_.codelist):
                raise ValueError(_code_message(field_, [code]))
            return code
        case FieldType.MULTICHOICE:
            codes = [c for c in _LIST_SPLIT.split(_text(raw)) if c]
            unknown = [c for c in codes if c not in REGISTRY.codelist(field_.codelist)]
            if unknown:
                raise ValueError(_code_message(field_, unknown))
            order = REGISTRY.codelist(field_.codelist).values
            return sorted(dict.fromkeys(codes), key=order.index)
        case FieldType.REF:
            return [r for r in re.split(r"[\s,，;；]+", _text(raw)) if r]
    return _text(raw)


def _code_message(field_: Field, codes: list[str]) -> str:
    allowed = "；".join(f"{c.code}={c.label_zh}" for c in REGISTRY.codelist(field_.codelist))
    return _("%(codes)s is not in the code list of this field. Allowed: %(allowed)s") % {
        "codes": "、".join(codes),
        "allowed": allowed,
    }


def _text(raw: Any) -> str:
    if isinstance(raw, bool):
        return TRUE_TEXT if raw else FALSE_TEXT
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat() if raw.time() == datetime.time() else raw.isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return str(raw)


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError(_("Enter a whole number."))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and re.fullmatch(r"\s*-?\d+\s*", raw):
        return int(raw)
    raise ValueError(_("Enter a whole number."))


def _date(raw: Any) -> str:
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    if isinstance(raw, str):
        try:
            return datetime.date.fromisoformat(raw.strip()).isoformat()
        except ValueError:
            pass
    raise ValueError(_("Enter a date as YYYY-MM-DD."))


def _empty(field_: Field | None) -> Any:
    if field_ is None:
        return ""
    return [] if field_.type in (FieldType.REF, FieldType.MULTICHOICE) else None


def _check_references(parsed: ParsedWorkbook) -> None:
    """Duplicate row ids, and references to rows no sheet holds (resolving invented ids)."""
    titles = {s.group.name: s.title for s in layout.sheet_specs()}
    ids: dict[str, set[str]] = {}
    for group in REGISTRY.groups.values():
        if not group.repeats:
            continue
        seen: set[str] = set()
        for index, row in enumerate(parsed.content.get(group.name, [])):
            row_id = row["row_id"]
            if row_id.endswith("#duplicate") or row_id in seen:
                where = parsed.where(group.name, index, layout.ROW_ID)
                parsed.problems.append(
                    Problem(
                        "duplicate_row_id",
                        _("This row id appears more than once on the sheet."),
                        where.sheet if where else titles[group.name],
                        where.row if where else None,
                        where.column if where else "",
                        layout.ROW_ID,
                    )
                )
            seen.add(row_id)
        ids[group.name] = seen
    for group in REGISTRY.groups.values():
        refs = [f for f in group.fields if f.type is FieldType.REF]
        if not refs:
            continue
        value = parsed.content.get(group.name)
        rows: list[dict[str, Any]] = (value or []) if group.repeats else [value or {}]
        for index, row in enumerate(rows):
            for ref in refs:
                resolved = []
                for target in row.get(ref.code) or []:
                    uid = _resolve(parsed, ref.ref_group, target)
                    if uid is None or uid not in ids.get(ref.ref_group, set()):
                        where = parsed.where(group.name, index if group.repeats else -1, ref.code)
                        parsed.problems.append(
                            Problem(
                                "unknown_reference",
                                _("The row %(row)s does not exist on the sheet “%(sheet)s”.")
                                % {"row": target, "sheet": titles[ref.ref_group]},
                                where.sheet if where else titles[group.name],
                                where.row if where else None,
                                where.column if where else "",
                                ref.code,
                            )
                        )
                        continue
                    if uid not in resolved:
                        resolved.append(uid)
                row[ref.code] = resolved


def _resolve(parsed: ParsedWorkbook, group: str, target: str) -> str | None:
    try:
        return str(uuid.UUID(target))
    except ValueError:
        return parsed.invented_ids.get(group, {}).get(target)


def _refused(code: str, message: str, *, sheet: str = "") -> ImportRefused:
    return ImportRefused([Problem(code, message, sheet)])
