"""The English catalogue: every message translated, compiled, and in step with the code.

The second test runs the catalogue's own ``makemessages`` command (the one its header
documents, with the same options) over a copy of the source tree, so a new ``{% translate %}``
or ``gettext()`` without its English fails here, not in front of an English-speaking officer.
"""

from __future__ import annotations

import gettext
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

BASE = Path(settings.BASE_DIR)
LOCALE = BASE / "lapor" / "locale"
CATALOGUE = LOCALE / "en" / "LC_MESSAGES"
REGENERATE = re.compile(r"^# Regenerate: lapor (makemessages .+)$", re.M)
SOURCES = {".py", ".html", ".txt"}  # what makemessages reads for the django domain
SKIPPED_DIRS = {".git", ".venv", "node_modules", "var", "test-artifacts"}
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES[m.group(1)], text)


def _messages(po: str) -> dict[tuple[str, str], dict[str, str]]:
    """(context, msgid) → the entry's fields (msgid_plural, msgstr, msgstr[0], ...), unescaped,
    for every live entry but the header (an obsolete ``#~`` entry is a comment here)."""
    found = {}
    for entry in po.split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in entry.splitlines():
            if m := FIELD.match(line):
                key = m.group(1)
                fields[key] = _unescape(m.group(2))
            elif line.startswith('"') and key:
                fields[key] += _unescape(line[1:-1])
        if fields.get("msgid"):
            found[(fields.get("msgctxt", ""), fields["msgid"])] = fields
    return found


def test_every_english_message_is_translated_and_compiled():
    po = (CATALOGUE / "django.po").read_text()
    entries = po.split("\n\n")[1:]  # the first block is the header
    untranslated = [
        e for e in entries if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', e, re.M) and "msgid" in e
    ]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in po
    # the compiled catalogue Django reads says what the .po says (compilemessages was run)
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    messages = _messages(po)
    stale = []
    for (context, msgid), fields in messages.items():
        if "msgid_plural" in fields:
            plural = fields["msgid_plural"]
            got = [
                compiled.npgettext(context, msgid, plural, n)
                if context
                else compiled.ngettext(msgid, plural, n)
                for n in (1, 2)
            ]
            want = [fields["msgstr[0]"], fields["msgstr[1]"]]
        else:
            got = [compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)]
            want = [fields["msgstr"]]
        if got != want:
            stale.append(msgid)
    assert len(messages) > 300
    assert not stale, f"django.mo is stale: run lapor compilemessages -l en -i .venv; {stale[:3]}"


def _copy_sources(to: Path) -> None:
    """The files makemessages reads, at the same relative paths (the command's ignore patterns
    then apply as in the real tree), and the committed catalogue it merges into."""
    for dirpath, dirnames, filenames in os.walk(BASE):
        dirnames[:] = [d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith(".")]
        for name in filenames:
            if Path(name).suffix in SOURCES:
                source = Path(dirpath) / name
                target = to / source.relative_to(BASE)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    catalogue = to / CATALOGUE.relative_to(BASE)
    catalogue.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CATALOGUE / "django.po", catalogue / "django.po")


def _gettext_or_skip() -> None:
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"makemessages needs GNU gettext ({', '.join(missing)} missing): install gettext"
    if os.environ.get("CI"):
        pytest.fail(reason)  # inside CI the check must run: .ci/run installs gettext
    pytest.skip(reason)


def test_makemessages_would_add_no_message_the_catalogue_lacks(tmp_path, settings, monkeypatch):
    # given the command the catalogue's header documents, and a copy of the tree
    _gettext_or_skip()
    po = (CATALOGUE / "django.po").read_text()
    documented = REGENERATE.search(po)
    assert documented, "the catalogue's header must say how it is regenerated"
    command, *args = shlex.split(documented.group(1))
    _copy_sources(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / LOCALE.relative_to(BASE)]
    monkeypatch.chdir(tmp_path)

    # when makemessages runs in the copy, as a translator runs it in the real tree
    call_command(command, *args, verbosity=0)

    # then it adds nothing: every message the code asks for is in the catalogue already
    extracted = _messages((tmp_path / CATALOGUE.relative_to(BASE) / "django.po").read_text())
    assert len(extracted) > 300  # it did read the tree
    new = sorted(msgid for _, msgid in extracted.keys() - _messages(po).keys())
    assert not new, (
        f"{len(new)} message(s) missing from lapor/locale/en/LC_MESSAGES/django.po: run "
        f"`lapor {documented.group(1)}`, translate them, then "
        f"`lapor compilemessages -l en -i .venv`. {new[:10]}"
    )
    assert (CATALOGUE / "django.po").read_text() == po  # the real catalogue is untouched
