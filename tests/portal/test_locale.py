from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "lapor" / "locale" / "en" / "LC_MESSAGES"


def test_every_english_message_is_translated_and_compiled():
    po = (CATALOGUE / "django.po").read_text()
    entries = po.split("\n\n")[1:]  # the first block is the header
    untranslated = [
        e for e in entries if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', e, re.M) and "msgid" in e
    ]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in po
    mo = CATALOGUE / "django.mo"
    assert mo.exists()
