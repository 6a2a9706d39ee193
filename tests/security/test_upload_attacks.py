"""Upload attacks through the real endpoints, with the real limits (nothing patched).

The unit tests of standards/uploads.py and interchange's import checks cover
each check on its own; here the files arrive as a browser would send them —
through the editor's file fields and the workbook import view — and nothing
of them may be stored.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from standards.models import Document, StandardVersion
from standards.roles import Role, ensure_role_groups
from standards.services.editing import registry_section
from standards.snapshot import snapshot
from tests.content import fill_version
from tests.editor_posting import post_section, section_post_data
from tests.factories import UserFactory, VersionFactory

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def version():
    version = VersionFactory()
    fill_version(version)
    return version


@pytest.fixture
def browser(version):
    user = UserFactory(username="upload_staff", department=version.standard.department)
    user.groups.set([ensure_role_groups()[Role.DEPARTMENT_STAFF]])
    client = Client()
    client.force_login(user)
    return client


def bomb(kind: str, unpacked: int) -> bytes:
    """A real DOCX/XLSX package with one part of `unpacked` zero bytes (deflated ~1000:1)."""
    main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(main, '<?xml version="1.0"?><document/>')
        with archive.open(f"{main.split('/')[0]}/media/padding.bin", "w") as part:
            chunk = b"\0" * MIB
            for _ in range(unpacked // MIB):
                part.write(chunk)
    return buffer.getvalue()


def upload_blank_form(browser, version, name: str, content: bytes):
    data = section_post_data(version, registry_section("E13"), snapshot(version)["content"])
    data["document-0-blank_template"] = SimpleUploadedFile(name, content)
    return post_section(browser, version, "E13", data)


def stored_forms(version) -> list[str]:
    return sorted(d.blank_template.name for d in Document.objects.filter(version=version))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("申请表.pdf", b"MZ\x90\x00\x03" + b"\0" * 200),  # a Windows program renamed
        ("申请表.pdf", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("申请表.docx", PDF),  # a PDF named as Word
        ("申请表.pdf.exe", PDF),
        ("申请表.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ],
)
def test_the_editor_refuses_files_whose_content_or_name_is_wrong(browser, version, name, content):
    before = stored_forms(version)
    response = upload_blank_form(browser, version, name, content)
    assert response.status_code == 422
    assert 'id="id_document-0-blank_template_error"' in response.text
    assert stored_forms(version) == before


def test_the_editor_refuses_a_file_over_the_size_limit(browser, version):
    before = stored_forms(version)
    too_big = PDF[:-6] + b"\0" * (settings.UPLOAD_MAX_BYTES) + b"%%EOF\n"
    response = upload_blank_form(browser, version, "申请表.pdf", too_big)
    assert response.status_code == 422
    assert stored_forms(version) == before


def test_the_editor_refuses_a_docx_zip_bomb(browser, version):
    before = stored_forms(version)
    response = upload_blank_form(browser, version, "申请表.docx", bomb("docx", 200 * MIB))
    assert response.status_code == 422
    assert 'id="id_document-0-blank_template_error"' in response.text
    assert stored_forms(version) == before


def _import(browser, version, name: str, content: bytes):
    url = reverse("interchange:import", args=[version.standard.item.basic_code])
    return browser.post(url, {"workbook": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("标准.xlsx", b"MZ\x90\x00" + b"\0" * 100),
        ("标准.xlsx", PDF),
        ("标准.xlsx", bomb("xlsx", 200 * MIB)),  # 200 MiB unpacked, a few hundred KiB sent
        ("标准.xlsm", b"PK\x03\x04"),
    ],
    ids=["program", "pdf", "zip-bomb", "macro-workbook"],
)
def test_the_workbook_import_refuses_hostile_files_and_stores_nothing(
    browser, version, name, content
):
    versions = StandardVersion.objects.count()
    response = _import(browser, version, name, content)
    assert response.status_code == 422
    assert StandardVersion.objects.count() == versions
    assert "token" not in response.context or not response.context.get("token")
