"""Vietnamese-aware normalisation for the duplicate lookup (R6, R12).

Folding makes "Nguyễn Văn Hùng", "NGUYEN VAN HUNG", "Nguyễn  Văn Hùng" (NFD) and
"nguyen van hung" equal; address folding also expands the abbreviations clerks type
(TP., H., TX., P., X., TT., Kp.) and writes hamlet numbers as digits ("Ấp Ba" = "Ấp 3").
The folded forms are stored in indexed columns so candidates come from the database.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")

# Abbreviations of administrative words, as typed in addresses (after folding).
_ADDRESS_ABBREVIATIONS = {
    "tp": "thanh pho",
    "t.p": "thanh pho",
    "tx": "thi xa",
    "tt": "thi tran",
    "h": "huyen",
    "q": "quan",
    "p": "phuong",
    "x": "xa",
    "kp": "khu pho",
    "k.p": "khu pho",
    "ap": "ap",
    "khom": "khom",
    "to": "to",
    "kv": "khu vuc",
    "t": "tinh",
}
# Words after which a number names a unit (Ấp 3, Khóm Ba, Phường 11, Tổ 4 …).
_NUMBERED_UNITS = {"ap", "khom", "phuong", "to", "khu", "pho", "xom", "doi", "vuc"}
_NUMBER_WORDS = {
    "mot": "1",
    "nhat": "1",
    "hai": "2",
    "nhi": "2",
    "ba": "3",
    "bon": "4",
    "tu": "4",
    "nam": "5",
    "sau": "6",
    "bay": "7",
    "tam": "8",
    "chin": "9",
    "muoi": "10",
    "i": "1",
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "v": "5",
    "vi": "6",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "x": "10",
}
# Words too common in petitions to tell two matters apart.
_MATTER_STOPWORDS = frozenset(
    """va cua cho cac nhung la co khong duoc da bi voi tai theo ve trong den mot nay do
    thi nhu de vao ra len con tu ong ba anh chi em toi chung gia dinh xin de nghi yeu cau
    kinh gui ubnd uy ban nhan dan so phong""".split()
)


# The marks Vietnamese letters decompose into (NFD): five tones, circumflex, breve, horn.
_VIETNAMESE_MARKS = tuple("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
# Other characters common in Vietnamese documents (m², quotes, dashes…): separators.
_COMMON_SEPARATORS = tuple("²³°–—‘’“”…•«»")
# ASCII characters other than [0-9a-z], as spaces.
_ASCII_SEPARATORS = str.maketrans(
    {chr(code): " " for code in range(128) if not re.fullmatch("[0-9a-z]", chr(code))}
)


def fold(text: str | None) -> str:
    """Lower case, NFC/NFD-insensitive, without diacritics (đ→d), punctuation as spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    for separator in _COMMON_SEPARATORS:
        if separator in decomposed:
            decomposed = decomposed.replace(separator, " ")
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    if len(decomposed) - len(ascii_text) == sum(map(decomposed.count, _VIETNAMESE_MARKS)):
        # only Vietnamese marks were dropped (the usual text): done without a loop in Python
        return " ".join(ascii_text.translate(_ASCII_SEPARATORS).split())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped).split())


def fold_name(name: str | None) -> str:
    """A person's name folded: "Nguyễn  Thị Ánh" → "nguyen thi anh"."""
    return fold(name)


def name_signature(name: str | None) -> str:
    """Family name + given name, ignoring middle names: "nguyen hung" for
    "Nguyễn Văn Hùng" and "Nguyễn Hùng" (the lookup's 'missing middle name' variant)."""
    parts = fold(name).split()
    if len(parts) <= 2:
        return " ".join(parts)
    return f"{parts[0]} {parts[-1]}"


def given_name(name: str | None) -> str:
    """The given name (last word) folded; names are indexed by it."""
    parts = fold(name).split()
    return parts[-1] if parts else ""


def fold_address(text: str | None) -> str:
    """Address folded, abbreviations expanded and unit numbers written as digits."""
    if not text:
        return ""
    lowered = unicodedata.normalize("NFC", text.lower())
    # "TP.Cao Lãnh", "H.Lấp Vò": the dot glues abbreviation and name.
    lowered = re.sub(r"\b(tp|tx|tt|kp|p|x|h|q)\.(?=\S)", r"\1 ", lowered)
    words = fold(lowered).split()
    expanded: list[str] = []
    for word in words:
        expanded.extend(_ADDRESS_ABBREVIATIONS.get(word, word).split())
    result: list[str] = []
    for word in expanded:
        if result and result[-1] in _NUMBERED_UNITS and word in _NUMBER_WORDS:
            result.append(_NUMBER_WORDS[word])
        else:
            result.append(word)
    return " ".join(result)


def matter_terms(text: str | None) -> list[str]:
    """Distinctive folded words of a matter (summary/content), in order, without stopwords."""
    return [w for w in fold(text).split() if len(w) > 1 and w not in _MATTER_STOPWORDS]
