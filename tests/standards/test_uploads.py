"""Upload validation: the content must be the kind its extension says, and safe to open.

Every test file is built in memory: a real minimal PDF, a 1×1 PNG, a JPEG
header and end marker, and DOCX/XLSX packages written with zipfile. Zip bombs
are runs of zeros, which deflate about 1000:1, so they are cheap to build.
"""

import hashlib
import io
import re
import struct
import warnings
import zipfile
import zlib
from contextlib import nullcontext
from urllib.parse import unquote

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import translation

from standards.uploads import (
    ALLOWED_EXTENSIONS,
    CHUNK_BYTES,
    MIB,
    Kind,
    content_disposition,
    detect_kind,
    generated_name,
    safe_download_name,
    validate_upload,
)

# --- Builders ------------------------------------------------------------------------


def make_pdf(catalog_extra=b"", *, prefix=b"", filler=0):
    """A valid one-page PDF with a correct cross-reference table.

    `catalog_extra` goes into the document catalogue (where actions live);
    `filler` adds a stream object of that many bytes before it.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    if filler:
        objects.insert(0, b"<< /Length %d >>\nstream\n" % filler + b"x" * filler + b"\nendstream")
        objects[1] = objects[1].replace(b"/Pages 2 0 R", b"/Pages 3 0 R")
        objects[2] = objects[2].replace(b"[3 0 R]", b"[4 0 R]")
        objects[3] = objects[3].replace(b"/Parent 2 0 R", b"/Parent 3 0 R")
    root = 2 if filler else 1
    out = bytearray(prefix + b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png():
    """A 1×1 red RGB PNG."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # width, height, depth 8, RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")  # filter byte, then one RGB pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def make_jpeg():
    """SOI, a JFIF APP0 segment, EOI."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
MAIN_CONTENT_TYPE = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MAIN_XML = {
    "docx": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>申请表</w:t></w:r></w:p></w:body></w:document>",
    "xlsx": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>',
}


def content_types(kind, main_type=None):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{MAIN_PART[kind]}" '
        f'ContentType="{main_type or MAIN_CONTENT_TYPE[kind]}"/>'
        "</Types>"
    )


def noise(size):
    """Incompressible but repeatable bytes."""
    return hashlib.shake_256(b"uploads").digest(size)


def make_office(kind="docx", extra=(), *, types=None, main=True):
    """A DOCX or XLSX package; `extra` is (name, data[, compress_type]) parts to add."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types or content_types(kind))
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{OFFICE_DOCUMENT}" Target="{MAIN_PART[kind]}"/></Relationships>',
        )
        if main:
            archive.writestr(MAIN_PART[kind], MAIN_XML[kind])
        for name, data, *method in extra:
            archive.writestr(name, data, compress_type=method[0] if method else None)
    return buffer.getvalue()


def _central_record(data, name):
    """Offset of the central directory record for `name`."""
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == name.encode():
            return position
        position = data.find(b"PK\x01\x02", position + 1)
    raise LookupError(name)


def patch_entry(data, name, *, file_size=None, flags=None, crc=None, local_name=None):
    """Rewrite what the central directory and local header say about one part."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
    central = _central_record(data, name)
    out = bytearray(data)
    if file_size is not None:
        struct.pack_into("<I", out, central + 24, file_size)
        struct.pack_into("<I", out, local + 22, file_size)
    if flags is not None:
        struct.pack_into("<H", out, central + 8, flags)
        struct.pack_into("<H", out, local + 6, flags)
    if crc is not None:
        struct.pack_into("<I", out, central + 16, crc)
        struct.pack_into("<I", out, local + 14, crc)
    if local_name is not None:
        assert len(local_name) == len(name)
        out[local + 30 : local + 30 + len(name)] = local_name.encode()
    return bytes(out)


class RecordingBytesIO(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.largest_read = 0
        self.total_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.largest_read = max(self.largest_read, len(data))
        self.total_read += len(data)
        return data


def upload(name, content):
    return SimpleUploadedFile(name, content)


def refusal(name, content):
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content))
    with translation.override("en"):
        assert "%(" not in caught.value.messages[0]  # every parameter was filled in
    return caught.value


# --- Accepted files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("form.pdf", make_pdf),
        ("form.docx", lambda: make_office("docx")),
        ("form.xlsx", lambda: make_office("xlsx")),
        ("photo.png", make_png),
        ("photo.jpg", make_jpeg),
        ("photo.jpeg", make_jpeg),
        ("申请表.PDF", make_pdf),
    ],
)
def test_each_allowed_type_is_accepted(name, build):
    validate_upload(upload(name, build()))


def test_the_allowed_extensions_are_pdf_docx_xlsx_png_and_jpeg():
    assert ALLOWED_EXTENSIONS == ("pdf", "docx", "xlsx", "png", "jpg", "jpeg")


def test_the_built_pdf_is_a_real_pdf():
    assert len(pypdf.PdfReader(io.BytesIO(make_pdf())).pages) == 1
    assert len(pypdf.PdfReader(io.BytesIO(make_pdf(filler=1000))).pages) == 1


def test_a_pdf_header_after_leading_junk_is_accepted_within_1024_bytes():
    validate_upload(upload("form.pdf", make_pdf(prefix=b"\x00" * 1000)))
    assert refusal("form.pdf", make_pdf(prefix=b"\x00" * 1100)).code == "file_content_mismatch"


def test_a_document_with_a_large_but_modestly_compressed_part_is_accepted():
    # Exactly 1 MiB of zeros: far above 100:1, but parts up to 1 MiB are exempt.
    validate_upload(upload("form.docx", make_office(extra=[("word/media/blank.bin", bytes(MIB))])))


def test_a_document_with_stored_parts_is_accepted():
    part = noise(100_000)
    office = make_office(extra=[("word/media/image1.png", part, zipfile.ZIP_STORED)])
    validate_upload(upload("form.docx", office))


# --- Extension and content -----------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["setup.exe", "page.html", "old.doc", "old.xls", "form.ofd", "no-extension", "pdf"]
)
def test_a_file_type_outside_the_list_is_refused(name):
    assert refusal(name, make_pdf()).code == "file_type_not_allowed"


def test_a_file_without_a_name_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_upload(File(io.BytesIO(make_pdf())))
    assert caught.value.code == "file_type_not_allowed"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("form.pdf", make_png()),
        ("form.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("form.docx", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)),
        ("photo.png", make_pdf()),
        ("photo.png", make_jpeg()),
        ("photo.jpg", make_png()),
        ("form.docx", make_office("xlsx")),
        ("form.xlsx", make_office("docx")),
        ("form.pdf", make_office("docx")),
        ("form.docx", make_office("docx", main=False)),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    assert refusal(name, content).code == "file_content_mismatch"


def test_an_old_format_or_password_protected_office_file_gets_its_own_message():
    compound_file = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    error = refusal("form.docx", compound_file)
    assert error.code == "file_content_mismatch"
    with translation.override("en"):
        assert "password-protected" in error.messages[0]


def test_an_empty_file_is_refused():
    assert refusal("form.pdf", b"").code == "file_empty"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = MIB
    padding = b"%" + b"x" * 99 + b"\n"
    fitting = make_pdf(prefix=b"")
    fitting += padding * ((MIB - len(fitting)) // len(padding))
    fitting += b"%%EOF\n"
    assert len(fitting) <= MIB
    validate_upload(upload("form.pdf", fitting))
    error = refusal("form.pdf", fitting + b"x" * (MIB - len(fitting) + 1))
    assert error.code == "file_too_large"
    with translation.override("en"):
        assert "1 MB" in error.messages[0]


def test_the_size_limit_defaults_to_ten_megabytes(settings):
    if hasattr(settings, "UPLOAD_MAX_BYTES"):
        del settings.UPLOAD_MAX_BYTES
    error = refusal("form.pdf", bytes(10 * MIB + 1))
    assert error.code == "file_too_large"
    with translation.override("en"):
        assert "10 MB" in error.messages[0]


def test_the_type_message_lists_the_allowed_extensions():
    with translation.override("en"):
        message = refusal("setup.exe", b"MZ").messages[0]
    assert ".pdf, .docx, .xlsx, .png, .jpg, .jpeg" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("form.pdf", make_pdf().replace(b"%%EOF", b"")),
        ("form.pdf", make_pdf()[:-100]),
        ("photo.jpg", make_jpeg()[:-2]),
        ("photo.png", make_png()[:-12]),  # IEND lost
        ("photo.png", make_png()[:8] + make_png()[33:]),  # no IHDR
        ("form.docx", make_office()[:200]),
        ("form.docx", make_office()[:-10]),
    ],
)
def test_truncated_or_damaged_files_are_refused(name, content):
    assert refusal(name, content).code == "file_corrupt"


def test_a_part_whose_checksum_does_not_match_is_refused():
    office = patch_entry(make_office(), "word/document.xml", crc=0x12345678)
    assert refusal("form.docx", office).code == "file_corrupt"


# --- Zip bombs -----------------------------------------------------------------------


def test_a_zip_bomb_by_compression_ratio_is_refused():
    office = make_office(extra=[("word/media/image1.png", bytes(2 * MIB))])
    error = refusal("form.docx", office)
    assert error.code == "archive_too_large"


def test_a_zip_bomb_by_total_size_is_refused():
    # 101 parts of exactly 1 MiB, each exempt from the ratio check on its own.
    part = bytes(MIB)
    office = make_office("xlsx", extra=[(f"xl/media/{n}.bin", part) for n in range(101)])
    assert len(office) < 200_000
    assert refusal("form.xlsx", office).code == "archive_too_large"


def test_a_zip_bomb_by_entry_count_is_refused():
    office = make_office(extra=[(f"word/p{n}.xml", b"") for n in range(2_000)])
    assert refusal("form.docx", office).code == "archive_too_large"


def test_an_archive_whose_end_record_understates_its_entry_count_is_still_refused():
    office = bytearray(make_office(extra=[(f"word/p{n}.xml", b"") for n in range(2_000)]))
    struct.pack_into("<HH", office, len(office) - 22 + 8, 3, 3)  # entries here, entries total
    assert refusal("form.docx", bytes(office)).code == "archive_too_large"


def test_an_end_record_claiming_too_many_entries_is_refused_before_parsing():
    # zipfile would build an object per directory record first; the end record is read before.
    office = bytearray(make_office())
    struct.pack_into("<HH", office, len(office) - 22 + 8, 60_000, 60_000)
    assert refusal("form.docx", bytes(office)).code == "archive_too_large"


def test_a_part_that_unpacks_to_more_than_its_declared_size_is_refused():
    # 20 MiB of zeros declared as 1,000 bytes: the declared sizes pass every limit.
    office = make_office(extra=[("word/media/image1.png", bytes(20 * MIB))])
    office = patch_entry(office, "word/media/image1.png", file_size=1_000)
    assert refusal("form.docx", office).code == "archive_unsafe"


def test_unpacking_stops_as_soon_as_a_part_passes_its_declared_size():
    office = make_office(extra=[("word/media/image1.png", noise(3 * MIB))])
    stream = RecordingBytesIO(patch_entry(office, "word/media/image1.png", file_size=1_000))
    with pytest.raises(ValidationError) as caught:
        validate_upload(File(stream, name="form.docx"))
    assert caught.value.code == "archive_unsafe"
    assert stream.total_read < MIB  # not the whole 3 MiB part


def test_a_part_that_unpacks_to_less_than_its_declared_size_is_refused():
    office = patch_entry(make_office(), "word/document.xml", file_size=500_000)
    assert refusal("form.docx", office).code == "archive_unsafe"


# --- Unsafe archives -----------------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        "../../evil.sh",
        "word/../../evil.xml",
        "/etc/cron.d/evil",
        "..\\..\\evil.bat",
        "C:/Windows/evil.dll",
        "word/\x1bevil.xml",
    ],
)
def test_a_part_name_that_leaves_the_package_is_refused(entry):
    office = make_office(extra=[(entry, b"x")])
    assert refusal("form.docx", office).code == "archive_unsafe"


def test_a_part_name_with_a_nul_byte_is_refused():
    # "evil.exe\0.xml": C-string readers see evil.exe. zipfile cuts names at NUL
    # when writing, so the byte is put in afterwards.
    office = make_office(extra=[("word/evil.exe_.xml", b"x")])
    office = office.replace(b"evil.exe_.xml", b"evil.exe\x00.xml")
    assert refusal("form.docx", office).code == "archive_unsafe"


def test_duplicated_part_names_are_refused():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it writes
        office = make_office(extra=[("word/document.xml", MAIN_XML["docx"])])
    assert refusal("form.docx", office).code == "archive_unsafe"


def test_a_local_header_that_names_another_part_is_refused():
    office = make_office(extra=[("word/styles.xml", b"<styles/>")])
    office = patch_entry(office, "word/styles.xml", local_name="../../evils.xml")
    assert refusal("form.docx", office).code == "archive_unsafe"


def test_a_compression_method_office_does_not_use_is_refused():
    office = make_office(extra=[("word/styles.xml", b"<styles/>", zipfile.ZIP_BZIP2)])
    assert refusal("form.docx", office).code == "archive_unsafe"


def test_an_encrypted_archive_is_refused():
    office = patch_entry(make_office(), "word/document.xml", flags=0x1)
    assert refusal("form.docx", office).code == "archive_encrypted"


@pytest.mark.parametrize(
    ("kind", "name"), [("docx", "word/vbaProject.bin"), ("xlsx", "xl/VBAPROJECT.BIN")]
)
def test_macros_are_refused(kind, name):
    office = make_office(kind, extra=[(name, b"\xcc" * 100)])
    assert refusal(f"form.{kind}", office).code == "archive_macros"


def test_a_renamed_macro_enabled_document_is_refused_by_its_content_types():
    types = content_types("docx", "application/vnd.ms-word.document.macroEnabled.main+xml")
    assert refusal("form.docx", make_office(types=types)).code == "archive_macros"


# --- PDF active content --------------------------------------------------------------


@pytest.mark.parametrize(
    "catalog_extra",
    [
        b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b" /AA << /WC << /JS (app.alert(1)) >> >>",
        b" /AA << /WC << /JS\n5 0 R >> >>",
        b" /AA << /WC << /JS <6170702e616c657274283129> >> >>",
        b" /OpenAction << /S /Launch /F (cmd.exe) >>",
        b" /Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>",
        b" /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>",
        b" /OpenAction << /S /#4A#61#76#61#53#63#72#69#70#74 >>",
    ],
)
def test_a_pdf_with_scripts_launch_actions_or_embedded_files_is_refused(catalog_extra):
    assert refusal("form.pdf", make_pdf(catalog_extra)).code == "pdf_active_content"


@pytest.mark.parametrize("split", [1, 4, 10])
def test_active_content_split_across_read_chunks_is_still_found(split):
    token = b"/JavaScript"
    filler = CHUNK_BYTES
    for _ in range(3):  # the object header's length digits shift the offset
        pdf = make_pdf(b" /OpenAction << /S /JavaScript >>", filler=filler)
        filler += CHUNK_BYTES - split - pdf.index(token)
    assert pdf.index(token) == CHUNK_BYTES - split
    assert refusal("form.pdf", pdf).code == "pdf_active_content"


@pytest.mark.parametrize(
    "catalog_extra",
    [b" /Lang (zh-CN)", b" /JSON (x)", b" /Legal << >>", b" /JS /NotAScript"],
)
def test_names_that_only_look_alike_are_not_refused(catalog_extra):
    validate_upload(upload("form.pdf", make_pdf(catalog_extra)))


# --- How the file is read ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("big.pdf", make_pdf(filler=3 * MIB)),
        (
            "big.docx",
            make_office(extra=[("word/media/1.bin", noise(3 * MIB), zipfile.ZIP_STORED)]),
        ),
    ],
)
def test_files_are_read_in_bounded_chunks(name, content):
    stream = RecordingBytesIO(content)
    validate_upload(File(stream, name=name))
    assert 0 < stream.largest_read <= MIB


@pytest.mark.parametrize(("content", "accepted"), [(make_pdf(), True), (make_png(), False)])
def test_the_file_position_is_restored(content, accepted):
    file = upload("form.pdf", content)
    file.seek(7)
    with nullcontext() if accepted else pytest.raises(ValidationError):
        validate_upload(file)
    assert file.tell() == 7


def test_a_closed_file_is_reopened_and_closed_again(tmp_path):
    path = tmp_path / "form.pdf"
    path.write_bytes(make_pdf())
    file = File(path.open("rb"), name=str(path))
    file.close()
    validate_upload(file)
    assert file.closed


def _field_file(name, content, *, committed):
    field_file = FieldFile(None, models.FileField(), name)
    field_file.file = upload(name, content)
    field_file._committed = committed
    return field_file


def test_a_new_upload_on_a_model_field_is_checked():
    with pytest.raises(ValidationError) as caught:
        validate_upload(_field_file("form.pdf", make_png(), committed=False))
    assert caught.value.code == "file_content_mismatch"
    validate_upload(_field_file("form.pdf", make_pdf(), committed=False))


def test_a_file_already_in_storage_is_not_checked_again():
    # full_clean() runs validators on unchanged fields too; old files stay editable.
    validate_upload(_field_file("old.doc", b"\xd0\xcf\x11\xe0", committed=True))


# --- detect_kind ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "names", "kind"),
    [
        (make_pdf()[:1024], None, Kind.PDF),
        (make_png()[:1024], None, Kind.PNG),
        (make_jpeg(), None, Kind.JPEG),
        (b"PK\x03\x04", None, Kind.ZIP),
        (b"PK\x03\x04", ["[Content_Types].xml", "word/document.xml"], Kind.DOCX),
        (b"PK\x03\x04", ["[Content_Types].xml", "xl/workbook.xml"], Kind.XLSX),
        (b"PK\x03\x04", ["word/document.xml"], Kind.ZIP),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", None, Kind.OLE),
        (b"MZ\x90\x00", None, None),
        (b"<html>", None, None),
        (b"", None, None),
    ],
)
def test_detect_kind_reads_the_signature(head, names, kind):
    assert detect_kind(head, zip_names=names) is kind


def test_a_png_mentioning_pdf_in_its_metadata_is_still_a_png():
    png = make_png()
    tagged = png[:33] + _png_chunk(b"tEXt", b"Comment\x00%PDF-1.7") + png[33:]
    assert detect_kind(tagged[:1024]) is Kind.PNG


# --- Download names ------------------------------------------------------------------


def test_an_ascii_name_gives_a_plain_header():
    assert content_disposition("form.pdf") == 'attachment; filename="form.pdf"'
    assert content_disposition("form.pdf", inline=True) == 'inline; filename="form.pdf"'


def test_a_chinese_name_gives_an_ascii_fallback_and_a_utf8_name():
    name = "食品经营许可申请表.pdf"
    header = content_disposition(name)
    assert header.startswith("attachment; filename=\"download.pdf\"; filename*=UTF-8''%E9%A3%9F")
    assert unquote(header.split("UTF-8''")[1]) == name
    assert header.isascii()


def test_a_mixed_name_keeps_its_ascii_part_in_the_fallback():
    header = content_disposition("２０２４年 申请表 v2.docx")
    assert header.startswith("attachment; filename=\"2024 v2.docx\"; filename*=UTF-8''")


HEADER = re.compile(
    r"^(attachment|inline); filename=\"[^\"\\\x00-\x1f\x7f/]*\""
    r"(; filename\*=UTF-8''[A-Za-z0-9%._~-]+)?$"
)


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("../../etc/passwd", "passwd"),
        ('a"b.pdf', "ab.pdf"),
        ("\r\nSet-Cookie: session=x", "Set-Cookie session=x"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("C:\\fakepath\\表格.pdf", "download.pdf"),
        ("back\\slash", "slash"),
        ("..", "download"),
        ("", "download"),
        ("\u202egpj.exe", "gpj.exe"),
        ("报告.表格", "download"),
    ],
)
def test_hostile_names_cannot_break_the_header(name, fallback):
    header = content_disposition(name)
    assert HEADER.match(header), header
    assert f'filename="{fallback}"' in header
    assert "\r" not in header and "\n" not in header and ".." not in header


def test_safe_download_name_cleans_or_falls_back():
    assert safe_download_name("  a\tb  .pdf ", "x") == "a b .pdf"
    assert safe_download_name("/", "标准.pdf") == "标准.pdf"
    assert safe_download_name("...", "../") == "download"
    long_name = "申" * 300 + ".xlsx"
    cleaned = safe_download_name(long_name, "x")
    assert len(cleaned) == 120
    assert cleaned.endswith("申.xlsx")


@pytest.mark.parametrize(
    ("original", "suffix"),
    [
        ("食品经营许可申请表.PDF", ".pdf"),
        ("photo.JPEG", ".jpeg"),
        ("C:\\Users\\me\\form.docx", ".docx"),
        ("../../etc/passwd", ""),
        ("setup.exe", ""),
        ("no-extension", ""),
    ],
)
def test_generated_names_are_random_and_keep_only_an_allowed_extension(original, suffix):
    name = generated_name(original)
    assert re.fullmatch(r"uploads/[0-9a-f]{32}" + re.escape(suffix), name)
    assert generated_name(original) != name
