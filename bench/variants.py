"""How clerks type what a citizen gives: the variants the lookup must see through (issue 3,
"Vietnamese-aware matching"). Each function takes text as stored and returns it typed
another way; the random ones take a ``random.Random``."""

from __future__ import annotations

import random
import re
import unicodedata

NUMBER_WORDS = {
    "1": "Một",
    "2": "Hai",
    "3": "Ba",
    "4": "Bốn",
    "5": "Năm",
    "6": "Sáu",
    "7": "Bảy",
    "8": "Tám",
    "9": "Chín",
    "10": "Mười",
}
# Administrative words and the abbreviations clerks write for them.
ABBREVIATIONS = (
    ("Thành phố ", "TP. "),
    ("Thị xã ", "TX. "),
    ("Thị trấn ", "TT. "),
    ("Huyện ", "H. "),
    ("Phường ", "P. "),
    ("Xã ", "X. "),
    ("Khu phố ", "Kp. "),
)
_KEYBOARD_NEIGHBOURS = {
    "a": "sq",
    "e": "wr",
    "i": "uo",
    "o": "ip",
    "u": "yi",
    "n": "bm",
    "h": "gj",
    "g": "fh",
    "t": "ry",
    "c": "xv",
    "m": "n",
    "l": "k",
    "d": "sf",
    "r": "et",
    "s": "ad",
    "y": "tu",
    "v": "cb",
    "p": "o",
    "k": "jl",
    "b": "vn",
}


def nfd(text: str) -> str:
    """The same letters in decomposed Unicode (NFD), as some keyboards and PDFs give."""
    return unicodedata.normalize("NFD", text)


def without_diacritics(text: str) -> str:
    """Typed on a keyboard without Vietnamese input: "Nguyễn Văn Hùng" → "Nguyen Van Hung"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def shouted(text: str) -> str:
    """Capitals without diacritics, as on many old forms: "NGUYEN VAN HUNG"."""
    return without_diacritics(text).upper()


def abbreviated(address: str) -> str:
    """Administrative words abbreviated, some glued to the name: "X.Mỹ Tân, TP. Cao Lãnh"."""
    for word, short in ABBREVIATIONS:
        address = address.replace(word, short)
    return re.sub(r"\b(X|P)\. ", r"\1.", address)


def numbers_in_words(address: str) -> str:
    """Hamlet and quarter numbers written in words: "Ấp 3" → "Ấp Ba", "Khóm 2" → "Khóm Hai"."""
    return re.sub(
        r"\b(Ấp|Khóm|Tổ|Phường) (\d+)\b",
        lambda m: f"{m.group(1)} {NUMBER_WORDS.get(m.group(2), m.group(2))}",
        address,
    )


def given_name_first(name: str) -> str:
    """The order of foreign documents: given and middle names, then the family name."""
    parts = name.split()
    return " ".join([parts[-1], *parts[1:-1], parts[0]]) if len(parts) > 1 else name


def without_middle_names(name: str) -> str:
    """Family and given name only: "Trần Thị Ngọc Ánh" → "Trần Ánh"."""
    parts = name.split()
    return f"{parts[0]} {parts[-1]}" if len(parts) > 2 else name


def with_typo(rng: random.Random, name: str) -> str:
    """One slip of the keyboard in one part of the name: a letter dropped, doubled,
    swapped with the next, struck on a neighbouring key, or the wrong tone mark."""
    parts = name.split()
    index = rng.choice([0, len(parts) - 1, *range(1, len(parts) - 1)])
    part = parts[index]
    letters = list(part)
    position = rng.randrange(len(letters))
    operation = rng.choice(("drop", "double", "swap", "neighbour", "tone"))
    if operation == "drop" and len(letters) > 2:
        del letters[position]
    elif operation == "double":
        letters.insert(position, letters[position])
    elif operation == "swap" and position < len(letters) - 1:
        letters[position], letters[position + 1] = letters[position + 1], letters[position]
    elif operation == "tone":
        letters = list(_another_tone(part, rng))
    else:
        base = without_diacritics(letters[position]).lower()
        letters[position] = rng.choice(_KEYBOARD_NEIGHBOURS.get(base, "aeiou"))
    parts[index] = "".join(letters)
    return " ".join(parts)


_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")


def _another_tone(word: str, rng: random.Random) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    stripped = "".join(ch for ch in decomposed if ch not in _TONES)
    vowels = [i for i, ch in enumerate(stripped) if ch.lower() in "aeiouy"]
    if not vowels:
        return word + word[-1]
    position = vowels[-1] + 1
    tone = rng.choice([t for t in _TONES if t not in decomposed])
    return unicodedata.normalize("NFC", stripped[:position] + tone + stripped[position:])


# Words a clerk leaves out when noting a matter in a few words.
FUNCTION_WORDS = frozenset(
    """của tại với là và các những việc về để số năm được bị cho có trong trên khi mà đã
    từ đến theo thì này đó hộ ông bà""".split()
)
KIND_VERBS = (
    "Khiếu nại",
    "Kiến nghị",
    "Phản ánh",
    "Đơn gửi lần hai:",
    "Tiếp tục",
    "Đơn khiếu nại tiếp:",
    "Đề nghị xem xét lại:",
)


def retold_matter(rng: random.Random, summary: str, plain: bool = False) -> str:
    """A few words of the matter as the clerk notes them from what the citizen says: the
    content words of a run of the summary (its kind already chosen apart), a word or two
    left out, maybe without diacritics."""
    for verb in KIND_VERBS:
        if summary.startswith(verb):
            summary = summary[len(verb) :].strip()
    words = summary.replace(";", " ").replace(",", " ").replace(":", " ").split()
    length = min(len(words), rng.randint(6, 11))
    start = rng.randint(0, max(0, len(words) - length))
    chosen = [w for w in words[start : start + length] if w.lower() not in FUNCTION_WORDS]
    for _ in range(rng.randint(0, 2)):
        if len(chosen) > 4:
            del chosen[rng.randrange(len(chosen))]
    text = " ".join(chosen)
    return without_diacritics(text).lower() if plain else text
