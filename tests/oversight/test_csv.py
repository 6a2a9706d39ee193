"""CSV exports: the page's table, Chinese headers, and no formulas."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from oversight.csv_export import safe_cell
from standards.models import StandardVersion
from tests.oversight.builders import department, person, standard, version

State = StandardVersion.State


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("南海区局", "南海区局"),
        ("a=b", "a=b"),
        (12, "12"),
        (None, ""),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_quoted(value, written):
    assert safe_cell(value) == written


def read(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_export_holds_the_tables_rows_with_injection_quoted(client, places):
    version(standard(department(places["county"], '=HYPERLINK("http://x")')), State.PUBLISHED)
    version(standard(department(places["city"], "佛山市局")), State.DRAFT)
    client.force_login(person("editorial_reviewer", reviews=[places["province"]]))
    with translation.override("zh-hans"):
        response = client.get(
            reverse("oversight:export", args=["progress-department"]),
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read(response)
    header, body = rows[0], rows[1:]
    assert str(State.PUBLISHED.label) in header  # state labels in the page's language
    assert "草稿" in header and "已发布" in header
    names = sorted(row[0] for row in body)
    assert names == sorted(['\'=HYPERLINK("http://x")', "佛山市局"])
    published = header.index("已发布")
    by_name = {row[0]: row for row in body}
    assert by_name["佛山市局"][published] == "0"
    assert by_name['\'=HYPERLINK("http://x")'][published] == "1"


@pytest.mark.parametrize(
    "slug", ["progress-department", "progress-level", "turnaround", "return-reasons", "reform"]
)
def test_every_table_exports(client, places, slug):
    version(standard(department(places["county"])), State.PUBLISHED, materials=["甲"])
    client.force_login(person("editorial_reviewer", reviews=[places["province"]]))
    response = client.get(reverse("oversight:export", args=[slug]))
    assert response.status_code == 200
    assert read(response)[0]
