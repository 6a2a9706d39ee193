"""Malformed workbooks: each is refused with a message at its place, and nothing is written.

"Nothing written" is checked on the database as a whole: the number of
versions, content rows and history records is the same before and after.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from interchange.importing import import_workbook
from interchange.problems import ImportRefused
from interchange.workbook import layout
from interchange.workbook.reader import check_file, read_workbook
from standards.models import StandardVersion
from standards.registry import REGISTRY
from standards.roles import Role
from tests.factories import ApprovalItemFactory, DepartmentFactory

from .conftest import edited, member, upload, workbook_bytes

pytestmark = pytest.mark.django_db

SPECS = {s.group.name: s for s in layout.sheet_specs()}


def database_state():
    """Row counts of every model of the project: any write changes one of them."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("standards", "interchange")
    }


def refused(data, user, item, *, name="标准.xlsx", dry_run=False):
    before = database_state()
    with pytest.raises(ImportRefused) as caught:
        parsed = read_workbook(check_file(upload(data, name)))
        import_workbook(user=user, item=item, parsed=parsed, dry_run=dry_run)
    assert database_state() == before
    return caught.value.problems


def column_of(sheet, code):
    return next(c.column_letter for c in sheet[layout.CODE_ROW] if c.value == code)


def set_cell(group, code, value, row=0):
    spec = SPECS[group]

    def change(book):
        sheet = book[spec.title]
        sheet[f"{column_of(sheet, code)}{layout.FIRST_DATA_ROW + row}"] = value

    return change


@pytest.fixture
def setup(published):
    snapshot, staff = published
    return snapshot, staff, snapshot.version.standard.item, workbook_bytes(snapshot)


def test_the_unchanged_workbook_is_accepted_by_the_dry_run_without_writing(setup):
    _snapshot, staff, item, data = setup
    before = database_state()
    outcome = import_workbook(
        user=staff, item=item, parsed=read_workbook(check_file(upload(data))), dry_run=True
    )
    assert outcome.version_pk is None and outcome.action == "new_draft"
    assert database_state() == before


def test_wrong_file_type_by_extension(setup):
    _snapshot, staff, item, data = setup
    [problem] = refused(data, staff, item, name="标准.csv")
    assert problem.code == "file_type"


def test_wrong_file_type_by_content(setup):
    _snapshot, staff, item, _data = setup
    [problem] = refused(b"<html><script>alert(1)</script></html>", staff, item)
    assert problem.code == "file_content_mismatch"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    [problem] = refused(buffer.getvalue(), staff, item)  # a .docx renamed
    assert problem.code == "file_content_mismatch"


def test_oversized_file(setup, settings):
    _snapshot, staff, item, data = setup
    settings.UPLOAD_MAX_BYTES = len(data) - 1
    [problem] = refused(data, staff, item)
    assert problem.code == "file_too_large"


def test_zip_bomb_is_refused_before_openpyxl_opens_it(setup, monkeypatch):
    _snapshot, staff, item, data = setup
    opened = []
    monkeypatch.setattr(
        "interchange.workbook.reader.load_workbook", lambda *a, **k: opened.append(1)
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            bomb.writestr(info, source.read(info))
        bomb.writestr("xl/media/padding.xml", b"\0" * (60 * 1024 * 1024))
    [problem] = refused(buffer.getvalue(), staff, item)
    assert problem.code == "archive_too_large"
    assert opened == []


def test_unpacked_total_above_the_import_limit(setup, monkeypatch):
    _snapshot, staff, item, data = setup
    monkeypatch.setattr("interchange.workbook.reader.MAX_UNPACKED_BYTES", 1000)
    [problem] = refused(data, staff, item)
    assert problem.code == "archive_too_large"


def test_missing_sheet(setup):
    _snapshot, staff, item, data = setup
    title = SPECS["material"].title
    problems = refused(edited(data, lambda book: book.remove(book[title])), staff, item)
    assert [(p.code, p.sheet) for p in problems] == [("missing_sheet", title)]
    assert title in problems[0].message


def test_not_a_workbook_of_this_format(setup):
    _snapshot, staff, item, data = setup

    def change(book):
        book[layout.INFO_SHEET]["B1"] = "something else"

    [problem] = refused(edited(data, change), staff, item)
    assert problem.code == "wrong_format"


def test_a_workbook_of_another_item(setup):
    _snapshot, staff, item, data = setup
    other = ApprovalItemFactory(department=item.department)
    [problem] = refused(data, staff, other)
    assert problem.code == "wrong_item" and item.basic_code in problem.message


def test_unknown_field_code(setup):
    _snapshot, staff, item, data = setup
    title = SPECS["legal_basis"].title

    def change(book):
        book[title].cell(layout.CODE_ROW, 3).value = "E02.99"

    problems = refused(edited(data, change), staff, item)
    codes = {(p.code, p.sheet, p.cell) for p in problems}
    assert ("unknown_field", title, "C1") in codes
    assert any(p.code == "missing_field" and p.sheet == title for p in problems)


def test_code_not_in_the_code_list(setup):
    _snapshot, staff, item, data = setup
    problems = refused(edited(data, set_cell("legal_basis", "E02.01", "77", row=1)), staff, item)
    [problem] = problems
    sheet_column = column_of_in(data, "legal_basis", "E02.01")
    assert (problem.code, problem.sheet, problem.cell) == (
        "invalid_value",
        SPECS["legal_basis"].title,
        f"{sheet_column}4",
    )
    assert "77" in problem.message


def column_of_in(data, group, code):
    from openpyxl import load_workbook

    return column_of(load_workbook(io.BytesIO(data))[SPECS[group].title], code)


@pytest.mark.parametrize(
    ("group", "code", "value"),
    [
        ("basic_info", "B00.19", "三次"),  # integer
        ("basic_info", "B00.28", "2026年1月1日"),  # date
        ("basic_info", "B00.21", "也许"),  # boolean
        ("service", "E12.02", "12"),  # phone, checked by the editor's form
        ("basic_info", "B00.17", "not a url"),  # url, checked by the editor's form
        ("basic_info", "B00.01", "长" * 201),  # text longer than the editor allows
        ("basic_info", "B00.19", "-3"),  # a negative number is a number, but not a count
    ],
)
def test_wrong_types_are_reported_at_their_cell(setup, group, code, value):
    _snapshot, staff, item, data = setup
    [problem] = refused(edited(data, set_cell(group, code, value)), staff, item)
    assert problem.code == "invalid_value"
    assert problem.sheet == SPECS[group].title and problem.field_code == code
    assert problem.cell == f"{column_of_in(data, group, code)}{layout.FIRST_DATA_ROW}"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-A1", "@SUM(A1)", '=HYPERLINK("x")'])
def test_formula_injection_is_refused_with_the_cell_address(setup, value):
    _snapshot, staff, item, data = setup
    [problem] = refused(edited(data, set_cell("basic_info", "B00.26", value)), staff, item)
    assert problem.code == "formula"
    assert problem.cell == f"{column_of_in(data, 'basic_info', 'B00.26')}{layout.FIRST_DATA_ROW}"


def test_text_escaped_by_the_export_is_read_back(setup):
    """The export writes =x as '=x; the import takes the apostrophe away again."""
    _snapshot, _staff, _item, data = setup
    parsed = read_workbook(
        check_file(upload(edited(data, set_cell("basic_info", "B00.26", "'=x"))))
    )
    assert parsed.problems == []
    assert parsed.content["basic_info"]["B00.26"] == "=x"


def test_reference_to_a_row_that_does_not_exist(setup):
    _snapshot, staff, item, data = setup
    problems = refused(edited(data, set_cell("condition", "E04.03", "no-such-row")), staff, item)
    [problem] = problems
    assert problem.code == "unknown_reference" and "no-such-row" in problem.message
    assert problem.cell == f"{column_of_in(data, 'condition', 'E04.03')}{layout.FIRST_DATA_ROW}"


def test_duplicate_row_ids(setup):
    snapshot, staff, item, data = setup
    first = snapshot.data["content"]["faq"][0]["row_id"]
    problems = refused(edited(data, set_cell("faq", layout.ROW_ID, first, row=1)), staff, item)
    assert [p.code for p in problems] == ["duplicate_row_id"]
    assert problems[0].cell == f"A{layout.FIRST_DATA_ROW + 1}"


def test_a_file_name_that_is_not_one_of_the_standards_files(setup):
    _snapshot, staff, item, data = setup
    other = DepartmentFactory()
    secret = default_storage.save("standards/content/secret.pdf", ContentFile(b"%PDF-1.4\n%%EOF"))
    assert other  # another department's upload: its name must not be importable
    [problem] = refused(edited(data, set_cell("material", "E05.14", secret)), staff, item)
    assert problem.code == "unknown_file"


def test_every_problem_is_reported_at_once(setup):
    _snapshot, staff, item, data = setup

    def change(book):
        set_cell("basic_info", "B00.19", "三次")(book)
        set_cell("basic_info", "B00.26", "=1")(book)
        set_cell("legal_basis", "E02.01", "77")(book)
        set_cell("service", "E12.02", "12")(book)

    problems = refused(edited(data, change), staff, item)
    assert sorted(p.code for p in problems) == [
        "formula",
        "invalid_value",
        "invalid_value",
        "invalid_value",
    ]


def test_a_version_in_review_cannot_be_imported_into(setup):
    snapshot, staff, item, data = setup
    StandardVersion.objects.create(
        standard=snapshot.version.standard, number=snapshot.version.number + 1, state="submitted"
    )
    [problem] = refused(data, staff, item)
    assert problem.code == "not_editable"


def test_staff_of_another_department_write_into_their_own_standard_only(setup):
    """The service writes the importer's department's standard, never the item's other ones."""
    snapshot, _staff, item, data = setup
    stranger = member(Role.DEPARTMENT_STAFF, DepartmentFactory())
    outcome = import_workbook(
        user=stranger, item=item, parsed=read_workbook(check_file(upload(data))), dry_run=False
    )
    draft = StandardVersion.objects.get(pk=outcome.version_pk)
    assert draft.standard.department == stranger.department
    assert snapshot.version.standard.versions.count() == 1


def test_registry_groups_all_have_sheets():
    assert set(SPECS) == set(REGISTRY.groups)
    assert len({s.title for s in SPECS.values()}) == len(SPECS)
