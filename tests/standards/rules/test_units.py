"""Time limits convert to working days by the README's conventions."""

from fractions import Fraction

import pytest

from standards.rules import Severity
from standards.rules.crossfield.timelimits import allowed_extension
from standards.rules.text import has_area_code, is_article_level, parse_number
from standards.rules.units import Span, at_most, span, to_working_days


@pytest.mark.parametrize(
    ("value", "unit", "days"),
    [
        (1, "1", Fraction(1)),
        (7, "2", Fraction(5)),
        (14, "2", Fraction(10)),
        (1, "4", Fraction(21)),
        (3, "4", Fraction(63)),
        (8, "3", Fraction(1)),
        (4, "3", Fraction(1, 2)),
        (0, "1", Fraction(0)),
    ],
)
def test_durations_convert_to_working_days(value, unit, days):
    assert to_working_days(value, unit) == days


@pytest.mark.parametrize(
    ("value", "unit"), [(None, "1"), (5, None), (5, "9"), (True, "1"), ("x", "1")]
)
def test_a_duration_missing_its_number_or_unit_has_no_length(value, unit):
    assert span(value, unit) is None


def test_a_comparison_in_one_unit_uses_the_numbers_as_entered_and_blocks():
    comparison = at_most(Span(12, "1"), Span(10, "1"))
    assert not comparison.fits
    assert comparison.same_unit
    assert comparison.severity == Severity.BLOCKING


def test_a_comparison_across_units_converts_and_only_advises():
    comparison = at_most(Span(6, "1"), Span(7, "2"))
    assert not comparison.fits
    assert comparison.total_days == 6
    assert comparison.bound_days == 5
    assert comparison.severity == Severity.ADVISORY


def test_seven_calendar_days_fit_five_working_days_exactly():
    assert at_most(Span(7, "2"), Span(5, "1")).fits
    assert not at_most(Span(8, "2"), Span(5, "1")).fits


def test_step_times_in_hours_and_days_add_up_in_working_days():
    comparison = at_most([Span(4, "3"), Span(4, "3"), Span(1, "1"), Span(4, "3")], Span(2, "1"))
    assert comparison.total_days == Fraction(5, 2)
    assert not comparison.fits
    assert not comparison.same_unit


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("经本行政机关负责人批准，可以延长十日，并应当将延长期限的理由告知申请人。", Span(10, "1")),
        ("经市场监督管理部门负责人批准，可以延长5个工作日。", Span(5, "1")),
        ("特殊情况下延长期限不得超过三个月。", Span(3, "4")),
        ("可以延长十日；……可以延长15个工作日", Span(15, "1")),
        ("应当自受理之日起二十日内作出决定。", None),
    ],
)
def test_the_extension_an_article_allows_is_read_from_its_text(text, allowed):
    assert allowed_extension(text) == allowed


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十五", 35),
        ("一百零五", 105),
        ("12", 12),
        ("１２", 12),
    ],
)
def test_chinese_and_arabic_numbers_are_read(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("article", "article_level"),
    [
        ("第三十五条", True),
        ("第十条、第十二条", True),
        ("第一百三十五条第一款", True),
        ("第12条", True),
        ("全文", False),
        ("第二章", False),
        ("", False),
        (None, False),
    ],
)
def test_a_citation_is_article_level_when_it_names_an_article(article, article_level):
    assert is_article_level(article) is article_level


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("020-83133333", True),
        ("0757-86336128", True),
        ("0757 86336128", True),
        ("(020)83133333", True),
        ("0757-12315", True),
        ("86336128", False),
        ("12345", False),
        ("13800138000", False),
    ],
)
def test_phones_need_an_area_code(phone, ok):
    assert has_area_code(phone) is ok
