"""Law names and article numbers as people type them."""

import pytest

from legal.normalise import (
    article_label,
    article_numbers,
    chinese_to_int,
    int_to_chinese,
    law_key,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("第35条", [35]),
        ("第三十五条", [35]),
        ("第 35 条", [35]),
        ("第３５条", [35]),  # full-width digits
        ("第一百零三条", [103]),
        ("第一百一十条、第一百一十三条", [110, 113]),
        ("第十条第一款、第二款", [10]),
        ("第九十九条第一款、第一百零三条", [99, 103]),
        ("第十条、第10条", [10]),
        ("全文", []),
        ("", []),
    ],
)
def test_article_numbers_read_chinese_and_arabic_numerals(typed, expected):
    assert article_numbers(typed) == expected


def test_article_35_written_either_way_is_the_same_article():
    assert article_numbers("第35条") == article_numbers("第三十五条")


def test_chinese_numerals_round_trip_for_every_article_number_in_use():
    for number in range(1, 1000):
        assert chinese_to_int(int_to_chinese(number)) == number


@pytest.mark.parametrize(
    ("number", "written"),
    [(1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (103, "一百零三"), (110, "一百一十")],
)
def test_article_numbers_are_written_as_in_the_texts(number, written):
    assert int_to_chinese(number) == written
    assert article_label(number) == f"第{written}条"


def test_law_key_ignores_brackets_spaces_and_the_state_prefix():
    key = law_key("中华人民共和国食品安全法")
    assert law_key("《中华人民共和国食品安全法》") == key
    assert law_key(" 《食品安全法》 ") == key
    assert law_key("食品安全法实施条例") != key
