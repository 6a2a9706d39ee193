"""Spotting catch-all (兜底) and add-on clauses in free text.

The editorial office rejects wording that lets the department ask for more
than the standard lists: 其他材料, 其他需要提交的材料, 相关部门要求的其他材料,
法律法规另有规定的从其规定, 符合…部门提出的其他要求, a list that trails off in
等/等等, or an item that is just 其他. The patterns are deliberately narrow:
其他 in the middle of a name (其他药学技术人员, 其他组织) and 等 inside a word
(等级, 同等, 一等奖) are ordinary Chinese, not catch-alls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OTHER = "其[他它]"
# Punctuation that closes an item of a list or a sentence.
_ITEM_END = r"(?=\s*(?:[。；;，,、：:\n）)」”』]|$))"
_ITEM_START = r"(?:^|(?<=[\n；;。：:]))\s*(?:\d+[.、．]\s*|[（(][一二三四五六七八九十\d]+[）)]\s*)?"

_PATTERNS = (
    # 其他材料, 其他需要提交的材料, 相关部门要求的其他材料, 其他相关证明材料
    rf"(?:(?:相关|有关)?(?:部门|机关|单位)要求(?:提交|提供)?的)?{_OTHER}"
    r"(?:需要|需|应当|应|必要)?(?:提交|提供|补充)?的?(?:相关|有关)?(?:证明)?(?:材料|资料)",
    # 法律法规另有规定的，从其规定 / 依照其规定
    r"(?:法律|法规|规章)[^。；;，,]{0,10}另有规定的?[，,]?\s*(?:从|依照|按照|适用)其规定",
    # 符合…部门提出的其他要求
    rf"(?:部门|机关|单位)[^。；;\n]{{0,12}}?(?:提出|规定|要求|确定)的{_OTHER}(?:要求|条件|情形)",
    # 法律、法规规定的其他条件 / …规定的其他不予受理情形
    rf"(?:规定|要求|认定)的{_OTHER}[^。；;，,、\n]{{0,8}}?(?:条件|情形|要求|材料|情况)",
    # an item that is only 其他 / 其他情形
    rf"{_ITEM_START}{_OTHER}(?:条件|情形|情况|事项|要求|材料)?{_ITEM_END}",
    # a list trailing off: 营业执照、身份证等。 / …等相关材料。 (not 等级, 同等, 一等)
    r"(?<![一二三四五六七八九十百千0-9０-９同平相均对高中初上下优劣特何次超不])等{1,2}"
    rf"(?:(?:相关|有关|其他)?(?:材料|资料|文件|证明|证件|情形|条件|事项))?{_ITEM_END}",
)
_CATCH_ALL = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


@dataclass(frozen=True)
class CatchAll:
    phrase: str
    start: int

    def context(self, text: str, width: int = 12) -> str:
        """The phrase with a little of the text before it, on one line, e.g. …营业执照、身份证等."""
        begin = max(0, self.start - width)
        prefix = "…" if begin else ""
        return prefix + " ".join(text[begin : self.start + len(self.phrase)].split())


def find_catch_alls(text: str | None) -> list[CatchAll]:
    if not text:
        return []
    found = []
    for match in _CATCH_ALL.finditer(text):
        matched = match.group(0)
        phrase = matched.strip()
        if phrase:
            # Item-start patterns take the line break before the item along; skip it.
            found.append(CatchAll(phrase, match.start() + matched.index(phrase)))
    return found
