"""Catch-all clauses are caught; ordinary uses of 其他 and 等 are not."""

import pytest

from standards.rules.catchall import find_catch_alls


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("其他材料", "其他材料"),
        ("其他需要提交的材料", "其他需要提交的材料"),
        ("相关部门要求的其他材料", "相关部门要求的其他材料"),
        ("申请人还应提交其它相关材料。", "其它相关材料"),
        ("法律法规另有规定的，从其规定。", "法律法规另有规定的，从其规定"),
        ("但是，法律、法规另有规定的，依照其规定。", "法律、法规另有规定的，依照其规定"),
        ("符合消防、环保等部门提出的其他要求。", "部门提出的其他要求"),
        ("（五）法律、法规规定的其他条件。", "规定的其他条件"),
        ("法律法规规定的其他不予受理情形。", "规定的其他不予受理情形"),
        ("1. 申请事项不属于本机关职权范围的；\n2. 其他。", "2. 其他"),
        ("从事食品销售、餐饮服务等。", "等"),
        ("名称、地址变更等等", "等等"),
        ("营业执照、身份证等相关材料。", "等相关材料"),
        ("（营业执照、章程等）", "等"),
    ],
)
def test_catch_all_clauses_are_found(text, phrase):
    assert [found.phrase for found in find_catch_alls(text)] == [phrase]


@pytest.mark.parametrize(
    "text",
    [
        "药师或者其他药学技术人员资格证书",
        "经营处方药的，配备执业药师或者其他药学技术人员。",
        "按照食品经营者的风险等级实施检查。",
        "具有同等学力，",
        "获得一等奖。",
        "企业法人和其他组织的登记证书",
        "营业执照或者其他主体资格证明文件复印件",
        "高等学校、中等职业学校",
        "平等，自愿",
        "数量不等，",
        "等待现场核查结果",
        "申请人已取得营业执照。",
        "",
        None,
    ],
)
def test_ordinary_other_and_etc_are_not_catch_alls(text):
    assert find_catch_alls(text) == []


def test_a_catch_all_is_shown_with_the_words_before_it():
    text = "经营场所、设备设施、人员、制度等。"
    (found,) = find_catch_alls(text)
    assert found.context(text, width=5) == "…人员、制度等"


def test_an_item_start_catch_all_is_located_after_its_line_break():
    text = "1. 不属于本机关职权范围的；\n2. 其他情形。"
    (found,) = find_catch_alls(text)
    assert found.phrase == "2. 其他情形"
    assert text[found.start :].startswith("2. 其他情形")
    assert "\n" not in found.context(text)
