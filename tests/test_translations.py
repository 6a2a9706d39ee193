"""The interface is Chinese first: every interface message has a Chinese translation."""

from pathlib import Path

from django.conf import settings
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries():
    """(msgid, msgstr, fuzzy) from the .po file; enough of the format for this check."""
    entries, current, fuzzy, key = [], {"msgid": "", "msgstr": ""}, False, None
    for line in [*CATALOGUE.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith(("msgid ", "msgstr ", "msgstr[0] ")):
            key, _, rest = line.partition(" ")
            key = "msgstr" if key.startswith("msgstr") else key
            current[key] = rest[1:-1]
        elif line.startswith(("msgid_plural ", "msgstr[")):
            key = None  # other plural forms: Chinese has one
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line.strip() and key:
            entries.append((current["msgid"], current["msgstr"], fuzzy))
            current, fuzzy, key = {"msgid": "", "msgstr": ""}, False, None
    return [e for e in entries if e[0]]


def test_every_interface_message_is_translated_into_chinese():
    entries = _entries()
    assert len(entries) > 50
    assert [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy] == []


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_compiled_catalogue_is_in_use():
    with translation.override("zh-hans"):
        assert gettext("Skip to main content") == "跳到主要内容"
