"""The service guide (办事指南) rendered from stored snapshots of the samples."""

import copy
import html
import itertools
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from guides.rendering import render_guide_html
from standards.registry import REGISTRY, Audience, FieldType

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SAMPLES = sorted(p.stem for p in (FIXTURES / "samples").glob("*.yaml"))
# Value types whose text a reader sees as such (codes, numbers and booleans are
# too short or too generic to tell a leak from a coincidence).
TEXT_TYPES = (FieldType.TEXT, FieldType.LONGTEXT, FieldType.URL, FieldType.EMAIL, FieldType.PHONE)


@pytest.fixture(scope="module")
def snapshots(sample_snapshots):
    """The samples' snapshots as stored in `PublishedSnapshot.data` (see tests/conftest.py)."""
    return {name: sample_snapshots[name] for name in SAMPLES}


def _text(page: str) -> str:
    """The page as a reader sees its text: tags out, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_renders_as_one_article(snapshots, sample):
    page = render_guide_html(snapshots[sample])
    assert page.startswith('<article class="service-guide" lang="zh-Hans">')
    assert page.rstrip().endswith("</article>")
    assert page.count("<h1") == 1
    assert snapshots[sample]["standard"]["item"]["name"] in page
    levels = [int(level) for level in re.findall(r"<h([1-6])", page)]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


def test_the_food_licence_guide_shows_what_an_applicant_needs(snapshots):
    page = _text(render_guide_html(snapshots["food_business_licence"]))
    for expected in [
        "食品经营许可",
        "开餐馆、开食品店办理食品经营许可证（新办）",
        "食品经营许可申请书",
        "0757-86336128",
        "只卖预包装食品，还需要办理食品经营许可证吗？",
        "《中华人民共和国食品安全法》",
        "第三十五条",
        "予以批准的条件",
        "申请材料",
        "办理流程",
        "常见问题",
        "版本号",
    ]:
        assert expected in page, expected


def test_durations_are_shown_with_their_units(snapshots):
    content = snapshots["food_business_licence"]["content"]
    number = content["time_limit"]["E06.05"]
    assert f"{number} 个工作日" in render_guide_html(snapshots["food_business_licence"])


@pytest.mark.parametrize("sample", SAMPLES)
def test_no_manual_only_value_appears(snapshots, sample):
    """For every manual-only field, none of its texts (6 characters or more) is shown.

    A manual value is excused only when the same text is legitimately shown: it
    is part of a guide (or both) field value or of the standard's catalogue data
    in the same snapshot (e.g. a post's duty quoting a condition, or the
    undertaking unit named again in the accepting body).
    """
    data = snapshots[sample]
    page = _text(render_guide_html(data))
    shown: list[str] = [json.dumps(data["standard"], ensure_ascii=False)]
    manual: list[tuple[str, str]] = []
    for group in REGISTRY.groups.values():
        records = data["content"][group.name]
        for record in records if group.repeats else [records]:
            for field in group.fields:
                value = record[field.code]
                if field.type not in TEXT_TYPES or not value:
                    continue
                if field.audience is Audience.MANUAL:
                    manual.append((field.code, str(value)))
                else:
                    shown.append(str(value))
    checked = excused = 0
    for code, value in manual:
        pieces = [p.strip() for p in value.splitlines() if len(p.strip()) >= 6]
        for piece in pieces:
            if any(piece in text for text in shown):
                excused += 1
                continue
            checked += 1
            assert piece not in page, (code, piece)
    assert checked > 0
    assert excused <= checked


def test_manual_only_code_labels_are_not_shown():
    field = REGISTRY["E08.03"]  # fee_category: manual only
    assert field.audience is Audience.MANUAL
    data = _minimal()
    data["content"]["fee_item"] = [
        {"row_id": "f1", "E08.02": "工本费", "E08.03": REGISTRY.codelist(field.codelist).values[0]}
    ]
    page = render_guide_html(data)
    assert "工本费" in page
    assert str(REGISTRY.codelist(field.codelist).codes[0].label_zh) not in page


@pytest.mark.parametrize("sample", SAMPLES)
def test_rendering_is_byte_identical(snapshots, sample):
    data = snapshots[sample]
    first = render_guide_html(data)
    assert render_guide_html(copy.deepcopy(data)) == first
    # Dict order (e.g. after a JSON database round trip) does not matter.
    reordered = json.loads(json.dumps(data, sort_keys=True))
    assert render_guide_html(reordered) == first


def test_user_entered_markup_is_escaped(snapshots):
    data = copy.deepcopy(snapshots["food_business_licence"])
    attack = "<script>alert('x')</script>"
    data["standard"]["item"]["name"] = attack
    data["content"]["material"][0]["E05.01"] = attack
    data["content"]["faq"][0]["E12.21"] = attack
    data["content"]["link_benchmark"][0]["PL.02"] = attack
    data["content"]["basic_info"]["B00.17"] = "javascript:alert(1)"
    page = render_guide_html(data)
    assert "<script>" not in page
    assert page.count("&lt;script&gt;") >= 4
    assert 'href="javascript:' not in page


def _links_in_order(data, processes):
    order = REGISTRY.codelist("process_code").values
    rows = [r for r in data["content"]["link_benchmark"] if r["PL.01"] in processes]
    rows.sort(key=lambda r: (order.index(r["PL.01"]), r["PL.03"]))
    return [r["PL.02"] for r in rows]


@pytest.mark.parametrize("sample", SAMPLES)
def test_the_flow_chart_shows_the_links_in_order(snapshots, sample):
    data = snapshots[sample]
    page = render_guide_html(data)
    names = _links_in_order(data, {f"P0{n}" for n in range(1, 9)})
    assert names, "every sample has links of the main procedure"
    svg = re.search(r"<svg .*?</svg>", page, re.DOTALL)
    assert svg is not None
    chart = svg.group(0)
    texts = "".join(html.unescape(t) for t in re.findall(r"<text [^>]*>(.*?)</text>", chart))
    positions = [texts.find(name[:10]) for name in names]
    assert -1 not in positions, (names, texts)
    assert positions == sorted(positions)
    assert chart.count("<rect") == len(names)
    assert chart.count("<polygon") == len(names) - 1


def test_other_processes_get_their_own_flow_chart(snapshots):
    data = snapshots["food_business_licence"]
    page = render_guide_html(data)
    applicable = [r for r in data["content"]["other_process"] if r["PX.02"]]
    with_links = [
        r
        for r in applicable
        if any(link["PL.01"] == r["PX.01"] for link in data["content"]["link_benchmark"])
    ]
    assert page.count("<svg") == 1 + len(with_links)


def test_empty_sections_are_left_out():
    page = render_guide_html(_minimal())
    assert "常见问题" not in page
    assert "申请材料" not in page
    assert "<svg" not in page
    assert "示例事项" in page


def test_english_uses_the_english_labels(snapshots):
    page = render_guide_html(snapshots["food_business_licence"], language="en")
    assert 'lang="en"' in page
    assert "Application materials" in page
    assert "Original or copy" in page
    assert "<h2>申请材料</h2>" not in page
    assert "<h2>Application materials</h2>" in page


def _minimal():
    content = {}
    for group in REGISTRY.groups.values():
        content[group.name] = (
            []
            if group.repeats
            else {
                f.code: [] if f.type in (FieldType.REF, FieldType.MULTICHOICE) else None
                for f in group.fields
            }
        )
    return {
        "schema_version": 1,
        "standard": {
            "item": {"basic_code": "000000000000", "name": "示例事项", "common_name": None},
            "department": {"code": "x", "name": "示例部门"},
            "region": {"code": "440000", "name": "广东省", "level": "province"},
            "version": {"number": 1, "effective_from": None, "effective_to": None},
        },
        "content": content,
    }
