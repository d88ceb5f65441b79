"""Vietnamese alphabetical order as a plain ASCII string key.

``vietnamese_sort_key(name)`` is stored in an indexed ``name_key`` column and used in
``ORDER BY``; the key holds only ``0-9`` and ``a-z``, whose order is the same under binary
collation (SQLite, PostgreSQL ``C``) and under the usual locale collations (PostgreSQL
``en_US.UTF-8``, ICU), so the database sorts names in Vietnamese order everywhere.

The order follows the Vietnamese collation of Unicode CLDR (the one ICU's ``vi`` locale
uses, and the order of the Vietnamese dictionary of the Institute of Linguistics):

* Primary level, the letters: a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư
  v (w) x y (z); the foreign letters f, j, w, z sit at their Latin places. Case is
  ignored. A space or any punctuation is a word separator and sorts before every
  letter, so "An Giang" < "Anh" (word by word). Runs of digits compare by numeric value
  ("Phường 2" < "Phường 10"). Other characters count as separators.
* Secondary level, the tones, compared only between names with equal letters, from the
  first letter on: ngang (no mark) < huyền < hỏi < ngã < sắc < nặng. So "Anh" < "Ánh" <
  "Anh Đào".

NFC and NFD input give the same key. Keys longer than ``max_length`` are cut (tone
information goes first), which can only tie names that share a very long prefix.
"""

from __future__ import annotations

import string
import unicodedata

# The letters in collation order; the i-th letter gets the i-th code character.
_LETTERS = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER_CODES = "3456789" + string.ascii_lowercase
_LETTER_CODE = dict(zip(_LETTERS, _LETTER_CODES, strict=True))
# Code characters below the letters: end of the letters, a separator, a number.
_END = "0"
_SEPARATOR = "1"
_NUMBER = "2"
# A number is coded as _NUMBER, its digit count in base 36, its digits (at most 35).
_MAX_DIGITS = 35
_DIGIT_COUNT = string.digits + string.ascii_lowercase
# Letter modifiers (primary differences) after NFD: breve, circumflex, horn.
_MODIFIERS = frozenset("\u0306\u0302\u031b")
# Tone marks after NFD, in CLDR order: huyền, hỏi, ngã, sắc, nặng (ngang has none).
_TONE_CODE = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_NO_TONE = "0"


def _units(text: str) -> list[list[str]]:
    """Split text into units ``[kind, value, tone]``: a letter (with its modifiers applied
    and its tone code), a digit, or any other character; combining marks are folded in."""
    units: list[list[str]] = []
    for char in unicodedata.normalize("NFD", text.lower()):
        last = units[-1] if units and units[-1][0] == "letter" else None
        if char in _TONE_CODE:
            if last:
                last[2] = _TONE_CODE[char]
        elif char in _MODIFIERS:
            modified = unicodedata.normalize("NFC", last[1] + char) if last else ""
            if modified in _LETTER_CODE:
                last[1] = modified
        elif char in _LETTER_CODE:
            units.append(["letter", char, _NO_TONE])
        elif char in string.digits:
            units.append(["digit", char, ""])
        elif not unicodedata.combining(char):
            units.append(["other", char, ""])
    return units


def _encode_number(digits: str) -> str:
    """Code a run of digits so that numbers compare by value."""
    coded = []
    digits = digits.lstrip("0") or "0"
    for start in range(0, len(digits), _MAX_DIGITS):
        chunk = digits[start : start + _MAX_DIGITS]
        coded.append(_NUMBER + _DIGIT_COUNT[len(chunk)] + chunk)
    return "".join(coded)


def vietnamese_sort_key(text: str, max_length: int = 255) -> str:
    """Return the ASCII key that sorts ``text`` in Vietnamese alphabetical order.

    Compare keys with plain binary (or any usual) collation; see the module docstring for
    the exact order. ``max_length`` is the width of the column the key is stored in.
    """
    primary: list[str] = []
    tones: list[str] = []
    digits = ""
    for kind, value, tone in _units(text):
        if kind == "digit":
            digits += value
            continue
        if digits:
            primary.append(_encode_number(digits))
            digits = ""
        if kind == "letter":
            primary.append(_LETTER_CODE[value])
            tones.append(tone)
        elif primary and primary[-1] != _SEPARATOR:
            primary.append(_SEPARATOR)
    if digits:
        primary.append(_encode_number(digits))
    while primary and primary[-1] == _SEPARATOR:
        primary.pop()
    return ("".join(primary) + _END + "".join(tones))[:max_length]
