"""Small text judgements the rules share: article numbers, names, phone numbers."""

from __future__ import annotations

import re
import unicodedata

_CHINESE_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = r"[0-9０-９零〇一二两三四五六七八九十百千]+"

# 第三十五条, 第12条: what makes a citation article-level (a whole-law citation has none).
_ARTICLE = re.compile(rf"第\s*{NUMERAL}\s*条")


def is_article_level(article_number: str | None) -> bool:
    return bool(article_number and _ARTICLE.search(article_number))


def parse_number(text: str) -> int | None:
    """12, １２ or 十二 as an int; None when `text` is not a number."""
    text = unicodedata.normalize("NFKC", text.strip())
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CHINESE_DIGITS and c not in _CHINESE_UNITS for c in text):
        return None
    total, digit = 0, None
    for char in text:
        if char in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[char]
        else:
            # 十 alone means 10, as in 十日.
            total += (1 if digit is None else digit) * _CHINESE_UNITS[char]
            digit = None
    return total + (digit or 0)


def squash(text: str) -> str:
    """NFKC-normalised text without whitespace, for comparisons."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


# Words that say how a material is handed in, not what it is: 营业执照复印件 and
# 营业执照（原件） are the same material.
_FORM_WORDS = re.compile(r"(原件|复印件|副本|正本|扫描件|电子版|电子件|影印件|彩色)")
_PUNCTUATION = re.compile(r"[\W_]+")


def normalise_name(name: str) -> str:
    """A material name reduced to what it names, for spotting the same material twice."""
    text = squash(name)
    text = _FORM_WORDS.sub("", text)
    return _PUNCTUATION.sub("", text).lower()


# A landline with its area code: 020-83133333, 0757 86336128, (020)83133333.
_AREA_CODE_PHONE = re.compile(r"^\s*(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3})\s*[-－—]?\s*\d{5,8}")


def has_area_code(phone: str | None) -> bool:
    return bool(phone and _AREA_CODE_PHONE.match(unicodedata.normalize("NFKC", phone)))


def phone_digits(phone: str | None) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", phone or ""))


def excerpt(text: str | None, length: int = 30) -> str:
    """The start of `text` on one line, marked when cut."""
    flat = re.sub(r"\s+", " ", text or "").strip()
    return flat if len(flat) <= length else flat[:length] + "…"
