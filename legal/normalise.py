"""How law names and article numbers are compared.

Legal-basis rows are typed by people: 《中华人民共和国食品安全法》 and
食品安全法, 第三十五条 and 第35条 name the same law and article. Matching
compares the normalised forms produced here, never the text as typed.
"""

from __future__ import annotations

import re
import unicodedata

_BRACKETS = re.compile(r"[《》〈〉<>（）()【】\[\]〔〕{}「」『』\"'“”‘’]")
_SPACES = re.compile(r"\s+")
# National laws are commonly cited with or without the state's name in front.
_STATE_PREFIX = "中华人民共和国"

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ARTICLE = re.compile(r"第\s*([零〇一二两三四五六七八九十百千]+|\d+)\s*条")


def law_key(name: str) -> str:
    """The key two spellings of one law's title share (brackets, spaces, state prefix dropped)."""
    text = unicodedata.normalize("NFKC", name)
    text = _SPACES.sub("", _BRACKETS.sub("", text))
    return text.removeprefix(_STATE_PREFIX)


def chinese_to_int(text: str) -> int:
    """一百零三 -> 103, 十五 -> 15; Arabic digits are read as they are."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (digit or 1) * _UNITS[char]
            digit = 0
    return total + digit


def int_to_chinese(number: int) -> str:
    """103 -> 一百零三, 15 -> 十五: how article numbers are written in the texts."""
    if number <= 0 or number >= 10000:
        raise ValueError(f"article number out of range: {number}")
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    zero_pending = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit_value % 10
        if digit == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(digits[digit] + unit)
    text = "".join(parts)
    # 十五, not 一十五, when the number starts with the tens.
    return text[1:] if text.startswith("一十") else text


def article_numbers(text: str) -> list[int]:
    """Every article a citation names, in order: 第十条第一款、第十二条 -> [10, 12]."""
    text = unicodedata.normalize("NFKC", text)
    found: list[int] = []
    for match in _ARTICLE.finditer(text):
        number = chinese_to_int(match.group(1))
        if number and number not in found:
            found.append(number)
    return found


def article_label(number: int) -> str:
    """35 -> 第三十五条."""
    return f"第{int_to_chinese(number)}条"
