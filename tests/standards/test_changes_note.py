"""The draft public change note: counts of rows, time limits in any unit, fees, other fields."""

import pytest
from django.utils import translation

from standards.changes import change_note


def materials(*names):
    return [{"row_id": f"m-{name}", "E05.01": name, "E05.02": "1"} for name in names]


def limit(number, unit):
    return {"E06.05": number, "E06.06": unit}


def faq(*questions):
    return [{"row_id": f"q-{q}", "E12.20": q, "E12.21": "答"} for q in questions]


def test_the_example_of_the_brief():
    before = {
        "material": materials("营业执照", "身份证明", "场所证明"),
        "time_limit": limit(20, "1"),
        "faq": faq("如何申请？"),
    }
    after = {
        "material": materials("营业执照"),
        "time_limit": limit(10, "1"),
        "faq": faq("如何申请？", "多久办结？"),
    }
    assert change_note(before, after) == (
        "申请材料减少 2 项；承诺办结时限由 20 个工作日缩短为 10 个工作日；新增常见问题 1 项"
    )


def test_an_unchanged_content_gives_an_empty_note():
    content = {"material": materials("营业执照"), "time_limit": limit(20, "1")}
    assert change_note(content, dict(content)) == ""
    assert change_note({}, {}) == ""


@pytest.mark.parametrize(
    ("before", "after", "phrase"),
    [
        # 1 个月 = 21 working days
        (limit(1, "4"), limit(20, "1"), "承诺办结时限由 1 个月缩短为 20 个工作日"),
        # 30 calendar days ≈ 21.4 working days
        (limit(30, "2"), limit(25, "1"), "承诺办结时限由 30 个自然日延长为 25 个工作日"),
        # 48 hours = 6 working days
        (limit(48, "3"), limit(5, "1"), "承诺办结时限由 48 个小时缩短为 5 个工作日"),
        (limit(7, "2"), limit(5, "1"), "承诺办结时限由 7 个自然日调整为 5 个工作日"),
        (limit(None, None), limit(5, "1"), "承诺办结时限设定为 5 个工作日"),
        (limit(0, "1"), limit(1, "1"), "承诺办结时限由 0 个工作日延长为 1 个工作日"),
    ],
)
def test_promised_time_limits_are_compared_in_working_days(before, after, phrase):
    assert change_note({"time_limit": before}, {"time_limit": after}) == phrase


def test_a_validity_period_is_compared_too():
    before = {"result": {"E07.04": 5, "E07.05": "1"}}
    after = {"result": {"E07.04": None, "E07.05": "4"}}
    assert change_note(before, after) == "有效期限由 5 年延长为长期"


def test_added_and_removed_rows_of_one_group_are_counted_together():
    before = {"material": materials("甲", "乙")}
    after = {"material": materials("乙", "丙", "丁")}
    assert change_note(before, after) == "申请材料新增 2 项、减少 1 项"


def test_fees():
    before = {
        "fee": {"E08.01": False},
        "fee_item": [{"row_id": "f1", "E08.02": "证书工本费", "E08.04": "每证 10 元"}],
    }
    after = {
        "fee": {"E08.01": True},
        "fee_item": [{"row_id": "f1", "E08.02": "证书工本费", "E08.04": "每证 5 元"}],
    }
    assert change_note(before, after) == (
        "审批改为收费；收费项目「证书工本费」收费标准由“每证 10 元”调整为“每证 5 元”"
    )


def test_other_fields_are_summarised_by_label():
    before = {"service": {"E12.02": "020-1", "E12.11": "一楼", "E12.12": "工作日"}}
    after = {"service": {"E12.02": "020-2", "E12.11": "二楼", "E12.12": "工作日"}}
    assert change_note(before, after) == "调整审批服务的咨询电话、办理地点"


def test_changed_rows_are_counted_with_the_labels_of_what_changed():
    before = {"material": materials("营业执照", "身份证明")}
    after = {"material": [{**row, "E05.02": "2"} for row in materials("营业执照", "身份证明")]}
    assert change_note(before, after) == "调整申请材料 2 项（材料类型）"


def test_a_row_time_limit_names_its_row():
    before = {
        "special_procedure": [{"row_id": "s", "E06.12": "专家评审", "E06.13": 10, "E06.14": "1"}]
    }
    after = {
        "special_procedure": [{"row_id": "s", "E06.12": "专家评审", "E06.13": 15, "E06.14": "1"}]
    }
    assert change_note(before, after) == (
        "特别程序「专家评审」所需时限由 10 个工作日延长为 15 个工作日"
    )


def test_fields_applicants_do_not_see_are_left_out():
    # E03.08 承办机构 is in the handling manual only; E11 posts are internal.
    before = {
        "implementing_agency": {"E03.08": "一处"},
        "post": [{"row_id": "p", "E11.01": "受理岗"}],
    }
    after = {"implementing_agency": {"E03.08": "二处"}, "post": []}
    assert change_note(before, after) == ""


def test_the_note_is_chinese_and_the_same_whatever_the_language_and_key_order():
    before = {"time_limit": limit(20, "1"), "material": materials("甲", "乙")}
    after = {"material": materials("甲"), "time_limit": limit(10, "1")}
    with translation.override("en"):
        english_session = change_note(before, after)
    reordered = change_note(dict(reversed(before.items())), dict(reversed(after.items())))
    assert english_session == reordered == change_note(before, after)
    assert english_session == "申请材料减少 1 项；承诺办结时限由 20 个工作日缩短为 10 个工作日"


def test_moving_rows_is_mentioned_once():
    before = {"faq": faq("一", "二", "三")}
    after = {"faq": list(reversed(faq("一", "二", "三")))}
    assert change_note(before, after) == "调整常见问题的排列顺序"


def test_references_that_only_lose_removed_rows_are_not_news():
    condition = {"row_id": "c", "E04.02": "具备经营场所"}
    before = {
        "material": materials("甲", "乙"),
        "condition": [{**condition, "E04.08": ["m-甲", "m-乙"]}],
    }
    after = {"material": materials("甲"), "condition": [{**condition, "E04.08": ["m-甲"]}]}
    assert change_note(before, after) == "申请材料减少 1 项"
    after["condition"][0]["E04.08"] = []
    assert change_note(before, after) == "调整审批条件 1 项（证明材料）；申请材料减少 1 项"
