"""English must be complete: every string in the code translated, the compiled catalogue current."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"


def entries(path: Path) -> list[dict]:
    """Minimal .po reader: msgid, msgid_plural, msgstr[*] and flags of each entry."""
    result, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current and current.get("msgid") is not None:
                result.append(current)
            current, key = None, None
            continue
        current = current or {"flags": "", "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgid|msgid_plural|msgctxt|msgstr(?:\[\d+\])?) "(.*)"$', line):
            key, text = match.groups()
            if key.startswith("msgstr"):
                current["msgstr"][key] = text
            else:
                current[key] = text
        elif line.startswith('"') and key:
            text = line[1:-1]
            if key.startswith("msgstr"):
                current["msgstr"][key] += text
            else:
                current[key] += text
    return [e for e in result if e["msgid"] != ""]


def test_every_english_entry_is_translated_and_not_fuzzy():
    missing = [e["msgid"] for e in entries(PO) if "fuzzy" in e["flags"] or not all(e["msgstr"].values())]
    assert not missing, f"{len(missing)} untranslated or fuzzy entries, e.g. {missing[:5]}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is needed (apt-get install gettext)")
def test_compiled_catalogue_matches_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(PO)], check=True)
    assert compiled.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run `make messages` and commit django.mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext's xgettext is needed (apt-get install gettext)")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    # makemessages writes into every locale/ folder it walks past, so it runs on a copy of the
    # source tree, never on the working tree.
    base = Path(settings.BASE_DIR)
    for name in ("manage.py",):
        shutil.copy(base / name, tmp_path / name)
    apps = sorted(p.name for p in base.iterdir() if (p / "apps.py").is_file())  # every app of ours
    for name in (*apps, "templates", "locale"):
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "xhht_portal.settings.test"},
    )
    fresh = {e["msgid"] for e in entries(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    known = {e["msgid"] for e in entries(PO)}
    assert not fresh - known, f"strings missing from locale/en (run `make messages`): {sorted(fresh - known)[:10]}"
