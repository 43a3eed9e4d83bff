"""Vietnamese names as people write them: one module every app uses to compare, search and sort.

- ``clean`` — how a name is stored and shown: NFC, single spaces, no space at either end.
- ``same_key`` — what two spellings of one name share: NFC/NFD, spaces, case and the **tone
  placement** of the old and new styles ("Hòa"/"Hoà", "Thủy"/"Thuỷ", "Khỏe"/"Khoẻ": both NFC, other
  code points) give one key. Used for duplicates and exact matches.
- ``fold`` — the key of a search without diacritics: "Đặng Văn" → "dang van".
- ``sort_key`` — Vietnamese alphabetical order (a ă â b c d đ e ê … with the tones after the base
  letter, as ICU's "vi" collation), as a string that sorts by code point, so it can be stored in a
  column and ordered by on SQLite; PostgreSQL orders by ``collate`` (ICU "vi-x-icu") instead.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

_SPACES = re.compile(r"\s+")

# Combining marks: the five tones, and the three marks that make another letter (ă â ê ô ơ ư).
TONES = "\u0300\u0309\u0303\u0301\u0323"  # huyền, hỏi, ngã, sắc, nặng: ICU "vi" order
_QUALITY = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(ALPHABET)}
ICU_COLLATION = "vi-x-icu"


def clean(text) -> str:
    """NFC, single spaces, no leading or trailing space: how a name is stored and shown."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def _letters(word: str):
    """(letter, tone) pairs of a casefolded word: the letter with its quality mark, its tone (0-5)."""
    pending: list[list] = []
    for char in unicodedata.normalize("NFD", word):
        if char in TONES:
            if pending:
                pending[-1][1] = TONES.index(char) + 1
            continue
        if unicodedata.combining(char):
            if pending and (pending[-1][0], char) in _QUALITY:
                pending[-1][0] = _QUALITY[(pending[-1][0], char)]
            elif pending:
                pending[-1][0] += char
            continue
        pending.append([char, 0])
    return pending


def _canonical_word(word: str) -> str:
    """The word with its tone moved to its end: one spelling for "hòa" and "hoà", "thủy" and "thuỷ"."""
    letters = _letters(word)
    tone = next((t for _c, t in letters if t), 0)
    base = "".join(c for c, _t in letters)
    return base + (TONES[tone - 1] if tone else "")


def same_key(text) -> str:
    """What two spellings of one name share: NFC/NFD, spaces, case and tone placement."""
    words = clean(text).casefold().split(" ")
    return unicodedata.normalize("NFC", " ".join(_canonical_word(w) for w in words if w))


def fold(text) -> str:
    """Without any diacritic, lower case, single spaces: "Đặng  Văn" → "dang van"."""
    decomposed = unicodedata.normalize("NFD", clean(text).casefold()).replace("đ", "d")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def has_diacritics(text) -> bool:
    return fold(text) != clean(text).casefold()


def _primary(char: str) -> int:
    """Space < punctuation < digits < letters (Vietnamese order) < anything else."""
    if char == " ":
        return 1
    if char in _RANK:
        return 0x400 + _RANK[char]
    if char.isdigit():
        return 0x300 + int(unicodedata.digit(char, 0))
    if char.isalpha():
        return 0x500 + ord(char)
    return 0x10 + min(ord(char), 0x2EF)


def sort_key(text) -> str:
    """A string whose code-point order is Vietnamese alphabetical order.

    Like ICU: first the letters (ă after a, đ after d, ư after u…) over the whole name, then the
    tones (none, huyền, hỏi, ngã, sắc, nặng), then the case (lower first) to break ties.
    """
    name = clean(text)
    letters = _letters(name.casefold())
    primary = "".join(chr(0x100 + _primary(c if c in _RANK else c[0])) for c, _t in letters)
    secondary = "".join(chr(0x30 + t) for _c, t in letters)
    # Lower case first, as ICU: swapcase puts "văn" before "Văn".
    return f"{primary}\x01{secondary}\x01{name.swapcase()}"


def collate(field: str = "name"):
    """Order by a name column in Vietnamese order: ICU on PostgreSQL, the plain column elsewhere."""
    return Collate(field, ICU_COLLATION) if connection.vendor == "postgresql" else F(field)


def order_by_name(field: str = "name", key_field: str = "sort_key"):
    """ICU "vi-x-icu" on PostgreSQL; the stored ``sort_key`` column (see ``sort_key``) elsewhere."""
    return Collate(field, ICU_COLLATION) if connection.vendor == "postgresql" else F(key_field)


def sorted_names(items, key=lambda item: item):
    """Sort Python objects by a name, in Vietnamese order (for lists built in Python)."""
    return sorted(items, key=lambda item: sort_key(key(item)))
