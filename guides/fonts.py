"""Small Chinese fonts for the printed guide, cut from Noto Sans CJK SC.

Why: WeasyPrint subsets fonts with HarfBuzz keeping glyph ids, so an embedded
subset still carries an empty slot for every glyph below the highest one used.
Noto Sans CJK has ~65,000 glyphs and common hanzi sit high, so each guide
carried ~250 KB of empty slots. Cut once from the system font, the faces here
hold only the GB 2312 characters in two files ordered by use — level 1 (the
3,755 common hanzi) with Latin and punctuation, then level 2 — so a guide's
slots stop at a few thousand. Rarer characters fall back to the system font.

The files are generated on first use into `settings.GENERATED_FONTS_DIR`
(~15 s each) and reused; writes are atomic, so concurrent workers are safe.
Noto fonts are under the SIL Open Font License, which allows such subsets.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

SYSTEM_FAMILY = "Noto Sans CJK SC"
SOURCE_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
)
# Bump when the cut changes, so stale files are not reused.
CUT_VERSION = 1


@dataclass(frozen=True)
class Face:
    family: str
    file_stem: str
    rows: tuple[int, ...]  # GB 2312 rows (区), 1-based
    extra: tuple[tuple[int, int], ...] = ()  # further code point ranges, inclusive


FACES = (
    Face(
        "Guide Sans SC",
        "guide-sans-sc-common",
        rows=(*range(1, 10), *range(16, 56)),  # symbols, then level-1 hanzi
        extra=((0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF)),
    ),
    Face("Guide Sans SC Extended", "guide-sans-sc-extended", rows=tuple(range(56, 88))),
)

FONT_STACK = ", ".join(f'"{family}"' for family in [f.family for f in FACES] + [SYSTEM_FAMILY])


def _gb2312_row(row: int) -> set[int]:
    found = set()
    for cell in range(1, 95):
        try:
            found.add(ord(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312")))
        except UnicodeDecodeError:
            continue
    return found


def code_points(face: Face) -> set[int]:
    points: set[int] = set()
    for row in face.rows:
        points |= _gb2312_row(row)
    for first, last in face.extra:
        points |= set(range(first, last + 1))
    return points


def _source() -> tuple[Path, int] | None:
    """The system's Noto Sans CJK collection and the index of its SC face."""
    from fontTools.ttLib import TTCollection

    for path in SOURCE_FILES:
        if path.exists():
            collection = TTCollection(str(path), lazy=True)
            for index, font in enumerate(collection.fonts):
                if font["name"].getDebugName(1) == SYSTEM_FAMILY:
                    return path, index
    return None


def _cut(source: Path, index: int, face: Face, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=index)
    options = subset.Options()
    options.layout_features = []  # WeasyPrint drops GSUB/GPOS from embedded fonts anyway
    options.hinting = False
    options.notdef_outline = True
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=code_points(face))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(handle)
    try:
        font.save(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def font_dir() -> Path:
    return Path(settings.GENERATED_FONTS_DIR)


@cache
def font_files() -> tuple[tuple[Face, Path], ...]:
    """The cut faces, generated if missing; empty when the system font is absent."""
    wanted = [(face, font_dir() / f"{face.file_stem}-v{CUT_VERSION}.otf") for face in FACES]
    if all(path.exists() for _face, path in wanted):
        return tuple(wanted)
    source = _source()
    if source is None:
        logger.warning("%s not found: the guide PDF embeds larger font subsets.", SYSTEM_FAMILY)
        return ()
    for face, path in wanted:
        if not path.exists():
            logger.info("Cutting %s from %s", path.name, source[0])
            _cut(*source, face, path)
    return tuple(wanted)


def font_face_css() -> str:
    """`@font-face` rules for the cut faces (file URLs inside the fonts folder)."""
    return "\n".join(
        f'@font-face {{ font-family: "{face.family}"; src: url({path.as_uri()}); }}'
        for face, path in font_files()
    )
