"""Bilingual labels from the registry's data files.

The registry carries each label in Chinese and English side by side, so these
labels are not gettext messages: a lazy string picks the column matching the
active language when it is rendered.
"""

from django.utils.functional import lazy
from django.utils.translation import get_language


def _pick(zh: str, en: str) -> str:
    language = get_language() or "zh-hans"
    return en if language.startswith("en") and en else zh


bilingual = lazy(_pick, str)
