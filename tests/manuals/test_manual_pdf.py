"""The business manual as a PDF (WeasyPrint), checked with pypdf.

Each PDF takes a few seconds to typeset, so the two samples checked here (the
food and the drug licences) are rendered once per module.
"""

import copy
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from manuals.pdf import render_manual_pdf

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SCRIPT = "<script>alert(1)</script>"
SAMPLE_NAMES = ("食品经营", "药品零售", "建筑工程", "道路旅客", "民办学校")
FOOTER = re.compile(r"第\s*(\d+)\s*页\s*/\s*共\s*(\d+)\s*页")
TOC_LINE = re.compile(r"^(\S.*?)\s*\.{3,}\s*(\d+)\s*$")


@dataclass
class Rendered:
    snapshot: dict
    pdf: bytes
    reader: PdfReader
    pages: list[str]

    @property
    def code(self):
        return self.snapshot["standard"]["item"]["basic_code"]

    @property
    def text(self):
        return squeeze("".join(self.pages))


def squeeze(text):
    """Text without whitespace: CJK lines may break anywhere."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def snapshots(sample_snapshots):
    """Every sample's snapshot as stored (see tests/conftest.py)."""
    found = {
        name: data
        for data in sample_snapshots.values()
        for name in SAMPLE_NAMES
        if name in data["standard"]["item"]["name"]
    }
    assert set(found) == set(SAMPLE_NAMES)
    return found


@pytest.fixture(scope="module")
def rendered(snapshots):
    """Each sample's PDF; the food sample carries markup in a link's denial standard."""
    result = {}
    for name, data in snapshots.items():
        data = copy.deepcopy(data)
        if name == "食品经营":
            data["content"]["link_benchmark"][0]["PL.13"] = SCRIPT
        pdf = render_manual_pdf(data)
        reader = PdfReader(io.BytesIO(pdf))
        result[name] = Rendered(data, pdf, reader, [p.extract_text() for p in reader.pages])
    return list(result.values())


def test_the_pdf_opens_and_has_pages(rendered):
    for doc in rendered:
        assert doc.pdf.startswith(b"%PDF-")
        assert len(doc.reader.pages) > 3
        assert doc.reader.metadata.title == doc.snapshot["standard"]["item"]["name"] + "业务手册"


def test_every_page_has_the_header_and_its_page_number(rendered):
    for doc in rendered:
        total = len(doc.pages)
        version = doc.snapshot["standard"]["version"]["number"]
        for number, text in enumerate(doc.pages, start=1):
            assert f"{doc.code} · v{version}" in text, number
            assert [tuple(map(int, m)) for m in FOOTER.findall(text)] == [(number, total)]


def test_every_link_and_post_name_is_in_the_text(rendered):
    for doc in rendered:
        content = doc.snapshot["content"]
        names = [row["PL.02"] for row in content["link_benchmark"] if row["PL.02"]]
        names += [row["E11.01"] for row in content["post"] if row["E11.01"]]
        assert len(names) > 5
        text = doc.text
        missing = [name for name in names if squeeze(name) not in text]
        assert not missing


def test_fonts_are_embedded_subsets(rendered):
    for doc in rendered:
        seen = 0
        for page in doc.reader.pages:
            fonts = page["/Resources"].get_object().get("/Font", {})
            for font in fonts.values():
                font = font.get_object()
                assert re.match(r"^/[A-Z]{6}\+", font["/BaseFont"]), font["/BaseFont"]
                descendants = font.get("/DescendantFonts")
                leaf = descendants[0].get_object() if descendants else font
                descriptor = leaf["/FontDescriptor"].get_object()
                assert re.match(r"^/[A-Z]{6}\+", descriptor["/FontName"])
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)
                seen += 1
        assert seen


def test_the_table_of_contents_has_page_numbers(rendered):
    for doc in rendered:
        foreword = next(i for i, text in enumerate(doc.pages) if text.startswith("前言\n"))
        toc_lines = "\n".join(doc.pages[1:foreword]).splitlines()
        entries = [m.groups() for line in toc_lines if (m := TOC_LINE.match(line))]
        chapters = [(title, int(page)) for title, page in entries if title.startswith("第")]
        assert len(chapters) >= 16
        assert ("前言", foreword + 1) in [(t, int(p)) for t, p in entries]
        for title, page in chapters:
            # Each chapter starts a page with its heading.
            assert squeeze(doc.pages[page - 1]).startswith(squeeze(title)), (title, page)
        pages = [page for _title, page in chapters]
        assert pages == sorted(pages)


def test_markup_in_a_value_is_literal_text(rendered):
    food = next(doc for doc in rendered if "食品经营" in doc.snapshot["standard"]["item"]["name"])
    assert squeeze(SCRIPT) in food.text


def test_tagged_pdf_with_fixed_dates(rendered):
    for doc in rendered:
        root = doc.reader.trailer["/Root"]
        assert "/StructTreeRoot" in root
        assert root["/MarkInfo"]["/Marked"]
        assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
        version = doc.snapshot["standard"]["version"]
        # The cover's effective date: the version's, else the basic info's B00.28.
        effective = version["effective_from"] or doc.snapshot["content"]["basic_info"]["B00.28"]
        stamp = "D:" + effective.replace("-", "")
        assert doc.reader.metadata["/CreationDate"] == stamp
        assert doc.reader.metadata["/ModDate"] == stamp
