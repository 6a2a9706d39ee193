"""Checks on the files department staff upload (blank forms, filled samples, result samples).

An upload is accepted only when its extension is one of `ALLOWED_EXTENSIONS`
and its content really is that kind of file: a renamed executable or web page
must not reach the published standard, and a crafted archive or PDF must not
harm the people who later open it. Everything is checked with the standard
library, streaming the file in chunks so that at most a few megabytes are ever
held in memory whatever the upload size.

`content_disposition()` and `generated_name()` cover the other two ends: the
user's file name never reaches the file system, and it reaches the browser only
through a header that cannot be used to inject other headers or paths.
"""

from __future__ import annotations

import os
import re
import struct
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Final
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

MIB: Final = 1024 * 1024
DEFAULT_MAX_BYTES: Final = 10 * MIB

# Zip bomb limits for DOCX/XLSX. A real form is a few dozen parts and a few
# megabytes unpacked; these leave ample room while keeping the work per upload
# bounded.
ZIP_MAX_ENTRIES: Final = 2_000
ZIP_MAX_TOTAL_BYTES: Final = 100 * MIB
ZIP_MAX_RATIO: Final = 100
ZIP_RATIO_EXEMPT_BYTES: Final = 1 * MIB  # small parts compress well legitimately
# zipfile builds one object per central directory record before we can count
# them (~0.5 s and 60 MB for a 10 MB file of empty entries), so the directory
# size is bounded from the end record first. 1 KB per entry is far above the
# ~100 bytes of a real Office part's record.
ZIP_MAX_DIRECTORY_BYTES: Final = ZIP_MAX_ENTRIES * 1024

HEAD_BYTES: Final = 1024  # readers accept "%PDF-" anywhere in the first 1024 bytes
TAIL_BYTES: Final = 1024  # ... and look for "%%EOF" in the last 1024 bytes
CHUNK_BYTES: Final = 64 * 1024
INFLATE_STEP_BYTES: Final = 1 * MIB  # largest piece of unpacked data held at once
CONTENT_TYPES_KEPT_BYTES: Final = 1 * MIB
DOWNLOAD_NAME_MAX_CHARS: Final = 120


class Kind(StrEnum):
    """What a file's leading bytes (and, for a ZIP, its part names) say it is."""

    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    PNG = "png"
    JPEG = "jpeg"
    ZIP = "zip"  # a ZIP archive not (or not yet) recognised as DOCX or XLSX
    OLE = "ole"  # a legacy .doc/.xls, or any password-protected Office file


_KIND_BY_EXTENSION: Final[dict[str, Kind]] = {
    "pdf": Kind.PDF,
    "docx": Kind.DOCX,
    "xlsx": Kind.XLSX,
    "png": Kind.PNG,
    "jpg": Kind.JPEG,
    "jpeg": Kind.JPEG,
}
# Without dots and lower-case, as FileExtensionValidator expects them.
ALLOWED_EXTENSIONS: Final[tuple[str, ...]] = tuple(_KIND_BY_EXTENSION)

_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_PNG_IHDR: Final = b"\x00\x00\x00\x0dIHDR"  # first chunk: length 13, type IHDR
_JPEG_SOI: Final = b"\xff\xd8\xff"
_JPEG_EOI: Final = b"\xff\xd9"
_ZIP_LOCAL_HEADER: Final = b"PK\x03\x04"
_OLE_SIGNATURE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OFFICE_MAIN_PART: Final = {Kind.DOCX: "word/document.xml", Kind.XLSX: "xl/workbook.xml"}

MESSAGES: Final = {
    "file_empty": _("The file is empty."),
    "file_too_large": _("The file is too large: at most %(limit)s MB is allowed."),
    "file_type_not_allowed": _("This type of file is not allowed. Allowed types: %(allowed)s."),
    "file_content_mismatch": _(
        "The content of this file is not what its extension .%(extension)s says. "
        "Upload the original file rather than a renamed one."
    ),
    "file_legacy_office": _(
        "This is an old-format or password-protected Office file. "
        "Save it as an unprotected .docx or .xlsx file and upload it again."
    ),
    "file_corrupt": _("The file is damaged or incomplete. Save it again and upload it."),
    "archive_too_many_parts": _(
        "The document has too many parts (more than %(limit)s) and cannot be accepted."
    ),
    "archive_too_large": _(
        "The document unpacks to too much data (a part compressed more than %(ratio)s to 1, "
        "or more than %(limit)s MB in all) and cannot be accepted."
    ),
    "archive_unsafe_names": _("The document contains unsafe or duplicated part names."),
    "archive_unsafe_sizes": _(
        "The sizes recorded in the document do not match its content; "
        "it may have been tampered with."
    ),
    "archive_unsafe_method": _("The document uses a compression method Office does not use."),
    "archive_encrypted": _("The document is encrypted. Remove the password and upload it again."),
    "archive_macros": _(
        "The document contains macros. Save it as a macro-free .docx or .xlsx file."
    ),
    "pdf_active_content": _(
        "The PDF contains scripts, launch actions or embedded files. "
        "Print it to a new PDF without them and upload that."
    ),
}


def _error(message: str, code: str, **params: object) -> ValidationError:
    return ValidationError(MESSAGES[message], code=code, params=params or None)


def max_upload_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / MIB:.3g}"  # 10485760 -> "10", 2.5 MB -> "2.5"


def _extension(name: str) -> str:
    """Lower-case extension without the dot; client paths may use backslashes."""
    return PurePosixPath(name.replace("\\", "/")).suffix.lower().removeprefix(".")


def detect_kind(head: bytes, *, zip_names: Collection[str] | None = None) -> Kind | None:
    """The kind of file `head` (its first HEAD_BYTES bytes) starts, or None.

    A ZIP archive is DOCX or XLSX only by its part names, so it is reported as
    `Kind.ZIP` unless `zip_names` (the archive's member names) shows which.
    """
    # Fixed signatures first: "%PDF-" may appear anywhere early, e.g. in image metadata.
    if head.startswith(_PNG_SIGNATURE):
        return Kind.PNG
    if head.startswith(_JPEG_SOI):
        return Kind.JPEG
    if head.startswith(_OLE_SIGNATURE):
        return Kind.OLE
    if head.startswith(_ZIP_LOCAL_HEADER):
        names = set(zip_names or ())
        if "[Content_Types].xml" in names:
            for kind, main_part in _OFFICE_MAIN_PART.items():
                if main_part in names:
                    return kind
        return Kind.ZIP
    if b"%PDF-" in head[:HEAD_BYTES]:
        return Kind.PDF
    return None


def validate_upload(file: File) -> None:
    """Model-field validator: raise ValidationError unless `file` is an acceptable upload.

    A FieldFile already saved to storage is skipped: model full_clean() runs
    validators on every field, and re-reading each stored file on every edit
    would be slow and would make records whose files predate these rules
    impossible to edit. New uploads (UploadedFile, or a FieldFile not yet
    committed) are always checked.
    """
    if isinstance(file, FieldFile) and getattr(file, "_committed", False):
        return
    extension = _extension(file.name or "")
    expected = _KIND_BY_EXTENSION.get(extension)
    if expected is None:
        allowed = ", ".join(f".{e}" for e in ALLOWED_EXTENSIONS)
        raise _error("file_type_not_allowed", "file_type_not_allowed", allowed=allowed)
    limit = max_upload_bytes()
    with _rewound(file):
        # The real length, not the client's or the upload handler's word for it.
        file.seek(0, os.SEEK_END)
        size = file.tell()
        if size == 0:
            raise _error("file_empty", "file_empty")
        if size > limit:
            raise _error("file_too_large", "file_too_large", limit=_megabytes(limit))
        file.seek(0)
        head = file.read(HEAD_BYTES)
        file.seek(max(size - TAIL_BYTES, 0))
        tail = file.read(TAIL_BYTES)
        kind = detect_kind(head)
        if kind is Kind.ZIP and expected in _OFFICE_MAIN_PART:
            _check_office_document(file, size, head, expected, extension)
            return
        if kind is Kind.OLE and expected in _OFFICE_MAIN_PART:
            raise _error("file_legacy_office", "file_content_mismatch")
        if kind is not expected:
            raise _error("file_content_mismatch", "file_content_mismatch", extension=extension)
        _check_ending(kind, head, tail)
        if kind is Kind.PDF:
            _check_pdf_active_content(file, size)


@contextmanager
def _rewound(file: File) -> Iterator[None]:
    """Leave the file as it was found: same position, or closed again if it was closed."""
    was_closed = file.closed
    if was_closed:
        file.open("rb")
        position = 0
    else:
        position = file.tell()
    try:
        yield
    finally:
        if was_closed:
            file.close()
        else:
            file.seek(position)


def _check_ending(kind: Kind, head: bytes, tail: bytes) -> None:
    """Refuse truncated files: an interrupted upload or copy loses the end."""
    match kind:
        case Kind.PDF:
            complete = b"%%EOF" in tail
        case Kind.PNG:
            complete = head[8:16] == _PNG_IHDR and b"IEND" in tail
        case Kind.JPEG:
            # Within the tail rather than at the very end: cameras append short trailers.
            complete = _JPEG_EOI in tail
        case _:
            complete = True
    if not complete:
        raise _error("file_corrupt", "file_corrupt")


def _read_chunks(file: File, size: int) -> Iterator[bytes]:
    file.seek(0)
    remaining = size
    while remaining > 0:
        chunk = file.read(min(CHUNK_BYTES, remaining))
        if not chunk:
            return
        remaining -= len(chunk)
        yield chunk


# --- PDF -----------------------------------------------------------------------------

# This is a byte-level scan of the raw file, not a PDF parse. It finds the names
# wherever they are written out, including hex-escaped spellings (/J#61vaScript),
# but not inside compressed object streams, which would need a full parser and
# inflating every stream. It stops the common cases; the download side must
# still serve files as attachments.
_PDF_WHITESPACE: Final = rb"[\x00\t\n\x0c\r ]"
_PDF_DELIMITER: Final = rb"[\x00\t\n\x0c\r ()<>\[\]{}/%]"


def _pdf_name(name: bytes) -> bytes:
    """A pattern for /name, each character as itself or as a #xx escape."""
    spelled = b""
    for c in name:
        high, low = (b"%02x" % c)[:1], (b"%02x" % c)[1:]
        escape = b"#[%s%s][%s%s]" % (high, high.upper(), low, low.upper())
        spelled += b"(?:%s|%s)" % (re.escape(bytes([c])), escape)
    return b"/" + spelled + b"(?=" + _PDF_DELIMITER + b")"  # the whole name, not a prefix


# One regular expression, so the scan stays in C however many names a file holds.
_PDF_ACTIVE_CONTENT: Final = re.compile(
    b"|".join(
        [
            *(_pdf_name(n) for n in (b"JavaScript", b"Launch", b"EmbeddedFiles", b"EmbeddedFile")),
            # "/JS" is short enough to turn up by chance in compressed binary
            # streams (about once in 250 MB), so it counts only when followed by
            # a value: a string, a hex string or an indirect reference. A real
            # script action also carries /S /JavaScript.
            _pdf_name(b"JS")
            + _PDF_WHITESPACE
            + rb"{0,32}(?:\(|<|\d{1,10}"
            + _PDF_WHITESPACE
            + rb"+\d{1,5}"
            + _PDF_WHITESPACE
            + rb"+R)",
        ]
    )
)
# Consecutive chunks overlap by this much so that a name (fully escaped, 13 × 3
# bytes at most) and the start of its value are always seen whole in one of them.
_PDF_OVERLAP: Final = 256


def _check_pdf_active_content(file: File, size: int) -> None:
    carry = b""
    for chunk in _read_chunks(file, size):
        data = carry + chunk
        if _PDF_ACTIVE_CONTENT.search(data):
            raise _error("pdf_active_content", "pdf_active_content")
        carry = data[-_PDF_OVERLAP:]


# --- DOCX / XLSX ---------------------------------------------------------------------

_EOCD: Final = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD_SIGNATURE: Final = b"PK\x05\x06"
_ZIP64_LOCATOR: Final = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE: Final = b"PK\x06\x07"
_ZIP64_EOCD: Final = struct.Struct("<4sQ2H2L4Q")
_ZIP64_EOCD_SIGNATURE: Final = b"PK\x06\x06"
_LOCAL_HEADER: Final = struct.Struct("<4s5H3L2H")
_EOCD_SEARCH: Final = 1 << 16  # how far before the end record zipfile looks for it
_UTF8_NAME_FLAG: Final = 0x800
_ENCRYPTED_FLAG: Final = 0x1


def _check_office_document(
    file: File, size: int, head: bytes, expected: Kind, extension: str
) -> None:
    entries, directory_bytes = _declared_directory(file, size)
    if entries > ZIP_MAX_ENTRIES or directory_bytes > ZIP_MAX_DIRECTORY_BYTES:
        raise _error("archive_too_many_parts", "archive_too_large", limit=ZIP_MAX_ENTRIES)
    try:
        # zipfile leaves a file object it was given open when closed.
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OverflowError, struct.error):
        raise _error("file_corrupt", "file_corrupt") from None
    # The end record's count is not what zipfile relies on; count again.
    if len(infos) > ZIP_MAX_ENTRIES:
        raise _error("archive_too_many_parts", "archive_too_large", limit=ZIP_MAX_ENTRIES)
    _check_declared_entries(infos)
    if detect_kind(head, zip_names=[info.filename for info in infos]) is not expected:
        raise _error("file_content_mismatch", "file_content_mismatch", extension=extension)
    for info in infos:
        is_content_types = info.filename == "[Content_Types].xml"
        content = _inflate(file, size, info, keep=is_content_types).lower()
        if is_content_types and (b"vbaproject" in content or b"macroenabled" in content):
            # A .docm/.xlsm renamed: its content types declare the macro parts.
            raise _error("archive_macros", "archive_macros")


def _declared_directory(file: File, size: int) -> tuple[int, int]:
    """(entry count, central directory size) from the end record, found as zipfile finds it."""
    window = _EOCD.size + _EOCD_SEARCH
    zip64_records = _ZIP64_LOCATOR.size + _ZIP64_EOCD.size
    start = max(size - window - zip64_records, 0)
    file.seek(start)
    data = file.read(size - start)
    at = len(data) - _EOCD.size
    if not (data[at:].startswith(_EOCD_SIGNATURE) and data.endswith(b"\x00\x00")):
        at = data.rfind(_EOCD_SIGNATURE, max(len(data) - window, 0))
    if at < 0 or len(data) - at < _EOCD.size:
        raise _error("file_corrupt", "file_corrupt")
    record = _EOCD.unpack_from(data, at)
    entries, directory_bytes = record[4], record[5]
    locator_at = at - _ZIP64_LOCATOR.size
    zip64_at = locator_at - _ZIP64_EOCD.size
    if zip64_at >= 0 and data.startswith(_ZIP64_LOCATOR_SIGNATURE, locator_at):
        zip64 = _ZIP64_EOCD.unpack_from(data, zip64_at)
        if zip64[0] == _ZIP64_EOCD_SIGNATURE:
            entries, directory_bytes = zip64[7], zip64[8]
    return entries, directory_bytes


def _unsafe_name(name: str) -> bool:
    if not name or any(unicodedata.category(ch) == "Cc" for ch in name):
        return True
    path = name.replace("\\", "/")
    return (
        path.startswith("/") or re.match(r"[A-Za-z]:", path) is not None or ".." in path.split("/")
    )


def _check_declared_entries(infos: list[zipfile.ZipInfo]) -> None:
    """Everything the central directory states, before anything is unpacked."""
    names = [info.orig_filename for info in infos]
    # Duplicates are refused because readers disagree on which copy wins.
    if len(set(names)) != len(names) or any(_unsafe_name(name) for name in names):
        raise _error("archive_unsafe_names", "archive_unsafe")
    total = 0
    for info in infos:
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise _error("archive_encrypted", "archive_encrypted")
        if PurePosixPath(info.orig_filename.replace("\\", "/")).name.lower() == "vbaproject.bin":
            raise _error("archive_macros", "archive_macros")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # Office writes only these; bzip2/LZMA would also make stronger bombs.
            raise _error("archive_unsafe_method", "archive_unsafe")
        total += info.file_size
        too_dense = (
            info.file_size > ZIP_RATIO_EXEMPT_BYTES
            and info.file_size > ZIP_MAX_RATIO * info.compress_size
        )
        if too_dense or total > ZIP_MAX_TOTAL_BYTES:
            raise _too_large()


def _too_large() -> ValidationError:
    return _error(
        "archive_too_large",
        "archive_too_large",
        ratio=ZIP_MAX_RATIO,
        limit=_megabytes(ZIP_MAX_TOTAL_BYTES),
    )


def _inflate(file: File, size: int, info: zipfile.ZipInfo, *, keep: bool = False) -> bytes:
    """Unpack one entry from its raw bytes, trusting none of its recorded sizes.

    Decompression stops as soon as the output passes the size the central
    directory declared, so a lying directory costs at most one step more than
    an honest one (and the declared sizes are already within the limits).
    With `keep`, returns the first CONTENT_TYPES_KEPT_BYTES of the content;
    otherwise it is only counted and checksummed.
    """
    file.seek(info.header_offset)
    header = file.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or not header.startswith(_ZIP_LOCAL_HEADER):
        raise _error("file_corrupt", "file_corrupt")
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    raw_name = file.read(name_length)
    try:
        local_name = raw_name.decode("utf-8" if info.flag_bits & _UTF8_NAME_FLAG else "cp437")
    except UnicodeDecodeError:
        local_name = None
    if local_name != info.orig_filename:
        # Streaming readers go by the local name, others by the directory's.
        raise _error("archive_unsafe_names", "archive_unsafe")
    data_start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    if data_start + info.compress_size > size:
        raise _error("file_corrupt", "file_corrupt")
    file.seek(data_start)

    deflated = info.compress_type == zipfile.ZIP_DEFLATED
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if deflated else None
    produced = 0
    crc = 0
    kept = bytearray()

    def take(piece: bytes) -> None:
        nonlocal produced, crc
        produced += len(piece)
        if produced > info.file_size:
            raise _error("archive_unsafe_sizes", "archive_unsafe")
        crc = zlib.crc32(piece, crc)
        if keep and len(kept) < CONTENT_TYPES_KEPT_BYTES:
            kept.extend(piece[: CONTENT_TYPES_KEPT_BYTES - len(kept)])

    remaining = info.compress_size
    while remaining > 0:
        chunk = file.read(min(CHUNK_BYTES, remaining))
        if not chunk:
            raise _error("file_corrupt", "file_corrupt")
        remaining -= len(chunk)
        if inflater is None:
            take(chunk)
            continue
        while chunk and not inflater.eof:
            # One byte past the declared size is enough to prove it false.
            allowance = min(info.file_size - produced + 1, INFLATE_STEP_BYTES)
            try:
                take(inflater.decompress(chunk, allowance))
            except zlib.error:
                raise _error("file_corrupt", "file_corrupt") from None
            chunk = inflater.unconsumed_tail
    if inflater is not None and not inflater.eof:
        raise _error("file_corrupt", "file_corrupt")  # the stream stops short
    if produced != info.file_size:
        raise _error("archive_unsafe_sizes", "archive_unsafe")
    if crc != info.CRC:
        raise _error("file_corrupt", "file_corrupt")
    return bytes(kept)


# --- Names ---------------------------------------------------------------------------

# Characters Windows refuses in file names, besides the path separators.
_RESERVED_CHARACTERS: Final = frozenset('<>:"|?*')
# Control and format characters: CR/LF would split headers, and bidirectional
# overrides (U+202E) make "cod.exe" display as "exe.doc".
_DROPPED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def _clean_name(name: str) -> str:
    name = re.split(r"[/\\]", unicodedata.normalize("NFC", name))[-1]
    name = "".join(
        " " if ch.isspace() else ch  # tabs and line breaks become spaces, not nothing
        for ch in name
        if ch.isspace()
        or (ch not in _RESERVED_CHARACTERS and unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    )
    name = " ".join(name.split()).strip(" .")
    if len(name) > DOWNLOAD_NAME_MAX_CHARS:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if len(suffix) <= 10 else ""
        name = name[: DOWNLOAD_NAME_MAX_CHARS - len(suffix)].rstrip(" .") + suffix
    return name


def safe_download_name(name: str, fallback: str) -> str:
    """`name` fit to offer as a download name: its last path component, without
    control characters, characters Windows refuses, or leading/trailing dots and
    spaces, and at most DOWNLOAD_NAME_MAX_CHARS long. `fallback` (cleaned the
    same way) when nothing is left."""
    return _clean_name(name) or _clean_name(fallback) or "download"


def _ascii(text: str) -> str:
    # Compatibility decomposition turns full-width Latin letters and digits into
    # ASCII; Chinese characters have no ASCII form and are dropped.
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = "".join(ch for ch in text if ch.isprintable() and ch not in '"\\/')
    return " ".join(text.split())


def _ascii_fallback(name: str) -> str:
    suffix = PurePosixPath(name).suffix
    stem = _ascii(name.removesuffix(suffix)).strip(" .")
    suffix = _ascii(suffix).rstrip(" .")  # ".表格" leaves only "."
    if not any(ch.isalpha() for ch in stem):
        # An all-Chinese name (leaving only digits or brackets, e.g. "(1)")
        # keeps at least its extension; filename* carries the real name.
        stem = "download"
    return stem + suffix


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """An RFC 6266 Content-Disposition value for serving a file under `filename`.

    Old clients read the quoted ASCII `filename`; current browsers prefer the
    UTF-8 `filename*` (RFC 8187), given whenever the name is not plain ASCII.
    """
    name = safe_download_name(filename, "download")
    ascii_name = _ascii_fallback(name)
    value = f'{"inline" if inline else "attachment"}; filename="{ascii_name}"'
    if ascii_name != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


def generated_name(original: str) -> str:
    """A storage name for an upload: random, keeping only an allowed extension.

    The user's file name never reaches the file system, so it can neither
    collide with nor traverse to another file; it belongs in a separate field.
    """
    extension = _extension(original)
    suffix = f".{extension}" if extension in ALLOWED_EXTENSIONS else ""
    return f"uploads/{uuid.uuid4().hex}{suffix}"


# The types files are served with; anything else is a download of bytes.
_SERVED_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def served_content_type(suffix: str) -> str:
    """The Content-Type for a stored file with this (lower-case) suffix."""
    return _SERVED_TYPES.get(suffix, "application/octet-stream")
