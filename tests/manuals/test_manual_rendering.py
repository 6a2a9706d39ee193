"""The business manual rendered from the sample standards' snapshots."""

import copy
import html
import re
from pathlib import Path

import pytest
from django.conf import settings

from manuals.rendering import default_manual_number, render_manual_html
from standards.registry import REGISTRY, FieldType

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SAMPLES = sorted(path.stem for path in (FIXTURES / "samples").glob("*.yaml"))
TEXT_TYPES = (FieldType.TEXT, FieldType.LONGTEXT, FieldType.URL, FieldType.EMAIL, FieldType.PHONE)


@pytest.fixture(scope="module")
def snapshots(sample_snapshots):
    """The samples' snapshots keyed by item basic code (see tests/conftest.py)."""
    return {s["standard"]["item"]["basic_code"]: s for s in sample_snapshots.values()}


@pytest.fixture(scope="module")
def food(snapshots):
    return next(s for s in snapshots.values() if "食品经营" in s["standard"]["item"]["name"])


def _records(data, group):
    value = data["content"][group.name]
    return value if group.repeats else [value]


def _text(rendered):
    """The document's text with the line breaks of long values undone."""
    return html.unescape(re.sub(r"<br>\n?", "\n", rendered))


def test_every_sample_renders(snapshots):
    for data in snapshots.values():
        rendered = render_manual_html(data)
        assert rendered.startswith("<!DOCTYPE html>")
        assert rendered.rstrip().endswith("</html>")
        assert data["standard"]["item"]["name"] in rendered
        assert default_manual_number(data) in rendered
        for chapter in ("ch-e01", "ch-e13", "ch-processes", "ch-p08", "ch-complaints"):
            assert f'href="#{chapter}"' in rendered
            assert f'id="{chapter}"' in rendered


def test_the_food_sample_shows_posts_links_criteria_and_articles(food):
    rendered = _text(render_manual_html(food))
    content = food["content"]
    post = content["post"][0]["E11.01"]
    assert post in rendered
    link = next(row for row in content["link_benchmark"] if row["PL.02"])
    assert f"：{link['PL.02']}" in rendered
    denial = next(row["PL.13"] for row in content["link_benchmark"] if row["PL.13"])
    assert denial in rendered
    assert "第三十五条" in rendered
    assert "《中华人民共和国食品安全法》第三十五条" in rendered
    assert "佛山市南海区市场监督管理局" in rendered


def test_references_read_as_names(food):
    rendered = _text(render_manual_html(food))
    by_id = {row["row_id"]: row for row in food["content"]["legal_basis"]}
    posts = {row["row_id"]: row["E11.01"] for row in food["content"]["post"]}
    for row in food["content"]["link_benchmark"]:
        for basis in row["PL.14"]:
            assert by_id[basis]["E02.02"] + by_id[basis]["E02.08"] in rendered
        for post in row["PL.04"]:
            assert posts[post] in rendered
        assert not any(row_id in rendered for row_id in row["PL.04"] + row["PL.14"])


def test_no_guide_only_value_is_shown(snapshots):
    """No line (of 6+ characters) of a guide-only field's value appears in the manual.

    A guide value is excused only when the same text is also the value (or part of
    the value) of a manual field of the same snapshot or of the item's name: then
    it is in the manual for that field's sake. The item's common name (a guide
    field kept in the snapshot meta too) is never shown.
    """
    for data in snapshots.values():
        rendered = _text(render_manual_html(data))
        shown = [data["standard"]["item"]["name"], data["standard"]["department"]["name"]]
        for group in REGISTRY.groups.values():
            for record in _records(data, group):
                shown += [str(record[f.code]) for f in group.fields if f.in_manual]
        checked = 0
        for group in REGISTRY.groups.values():
            for f in group.fields:
                if f.in_manual or f.type not in TEXT_TYPES:
                    continue
                for record in _records(data, group):
                    for line in str(record[f.code] or "").splitlines():
                        line = line.strip()
                        if len(line) < 6 or any(line in value for value in shown):
                            continue
                        checked += 1
                        assert line not in rendered, (f.code, line)
        assert checked > 10


def test_rendering_is_deterministic(snapshots):
    for data in snapshots.values():
        again = copy.deepcopy(data)
        assert render_manual_html(data).encode() == render_manual_html(again).encode()


def test_the_manual_number_can_be_given(food):
    rendered = render_manual_html(food, manual_number="粤审手册〔2027〕1号")
    assert "粤审手册〔2027〕1号" in rendered
    assert default_manual_number(food) not in rendered


def test_user_entered_markup_is_escaped(food):
    data = copy.deepcopy(food)
    data["content"]["link_benchmark"][0]["PL.13"] = "<script>alert(1)</script>"
    data["content"]["post"][0]["E11.01"] = '<b onclick="x">岗位</b>'
    rendered = render_manual_html(data)
    assert "<script>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<b onclick" not in rendered
    assert "&lt;b onclick=&quot;x&quot;&gt;岗位&lt;/b&gt;" in rendered


def test_each_link_is_under_its_own_process_in_link_order(snapshots):
    for data in snapshots.values():
        rendered = render_manual_html(data)
        links = data["content"]["link_benchmark"]
        assert links
        for code in {row["PL.01"] for row in links}:
            own = sorted((r for r in links if r["PL.01"] == code), key=lambda r: r["PL.03"])
            heading = "ch-p08" if code == "P08" else f"proc-{code.lower()}"
            start = rendered.index(f'id="{heading}"')
            # The process ends where the next process or chapter begins.
            following = re.compile(r'id="(proc-p\d\d|ch-[a-z0-9-]+|app-[a-z-]+)"')
            after = following.search(rendered, start + 1)
            part = rendered[start : after.start() if after else len(rendered)]
            positions = [
                part.index(f'id="link-{code.lower()}-{n}">环节{n}：{html.escape(r["PL.02"])}<')
                for n, r in enumerate(own, start=1)
            ]
            assert positions == sorted(positions)
            assert part.count('id="link-') == len(own)


def test_the_flow_appendix_lists_links_in_order(food):
    rendered = _text(render_manual_html(food))
    flow = rendered[rendered.index('id="app-flow"') :]
    changes = [r for r in food["content"]["link_benchmark"] if r["PL.01"] == "P09"]
    names = [r["PL.02"] for r in sorted(changes, key=lambda r: r["PL.03"])]
    start = flow.index('id="flow-p09"')
    assert [flow.index(n, start) for n in names] == sorted(flow.index(n, start) for n in names)
