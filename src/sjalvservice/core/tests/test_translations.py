"""The English catalogue is complete, compiled, and covers every string in the code."""

import ast
import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sjalvservice

PACKAGE = Path(sjalvservice.__file__).parent
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def read_po(path: Path) -> list[dict]:
    """A small reader for the subset of the .po format that makemessages writes."""
    entries: list[dict] = []
    entry: dict = {"flags": set()}
    key = None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {"flags": set()}, None
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = read_po(PO)
    assert len(entries) > 50
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        translations = [value for key, value in entry.items() if key.startswith("msgstr")]
        assert translations, entry["msgid"]
        assert all(translations), f"untranslated: {entry['msgid']!r}"


def test_the_compiled_catalogue_matches_the_source():
    with MO.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for entry in read_po(PO):
        if not entry["msgid"] or "msgid_plural" in entry:
            continue
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        assert catalogue._catalog.get(key) == entry["msgstr"], (  # type: ignore[attr-defined]
            "django.mo is out of date: run `sjalvservice compilemessages`"
        )


@pytest.mark.skipif(sys.platform != "linux", reason="xgettext comes from Debian's gettext")
def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path):
    if not shutil.which("xgettext"):
        pytest.fail("xgettext is missing: run `make test`, which installs Debian's gettext")
    saved = tmp_path / "django.po"
    shutil.copy(PO, saved)
    try:
        subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete",
             "-i", "tests/*", "-v", "0"],
            cwd=PACKAGE, check=True,
        )  # fmt: skip
        wanted = {(entry.get("msgctxt"), entry["msgid"]) for entry in read_po(PO)}
    finally:
        shutil.copy(saved, PO)
    have = {(entry.get("msgctxt"), entry["msgid"]) for entry in read_po(PO)}
    missing = sorted(str(item) for item in wanted - have)
    assert not missing, "run makemessages -l en and translate: " + ", ".join(missing)
