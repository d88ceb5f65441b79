"""How alike a typed lookup and a stored petition are (R6, R12): names, addresses, matters.

Pure functions over folded text (app.petitions.normalize), scored with rapidfuzz; the
lookup (app.petitions.lookup) combines them into one score with its reasons. Every
similarity is in [0, 1].
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from app.petitions.normalize import fold, matter_terms

# Vietnamese family names (folded) recognised when a name is typed given name first.
FAMILY_NAMES = frozenset(
    """nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly truong dinh
    dao doan lam mai trinh cao luu ha ta quach chau tang thai luong la kieu lu thach son
    tong mac ong van quan giang khuu diep tieu""".split()
)
# Words of nearly every petition of a kind: they tell two matters apart poorly.
COMMON_MATTER_WORDS = frozenset(
    """khieu nai kien nghi phan anh viec quyet dinh hanh chinh giai quyet thu hoi dat boi
    thuong ho tro tai dinh cu nha o cap giay chung nhan quyen su dung lien quan nguoi dan
    cong dan xa phuong huyen thanh pho tinh dong thap ap khom so thua to ban do noi dung
    tranh chap gia dinh chu tich don vi can bo chinh quyen thuc hien yeu cau xem xet lai
    khong dung sai trai theo quy dinh tien dien tich m2 met vuong chua nam thang ngay""".split()
)
# Words that end the hamlet part of a folded address (commune, district, province).
_PLACE_WORDS = frozenset({"xa", "phuong", "huyen", "tinh", "quan"})
_PLACE_PAIRS = (["thanh", "pho"], ["thi", "xa"], ["thi", "tran"])
_HOUSE_NUMBER = re.compile(r"\bso (\d+\w*)\b")


def name_orderings(tokens: Sequence[str]) -> list[tuple[str, ...]]:
    """The readings of a typed name, family name first: as typed, and when a known family
    name comes last, the given-name-first orders turned round ("Son Van Tran" is Trần Văn
    Sơn, although Sơn is a family name too)."""
    readings = [tuple(tokens)]
    if len(tokens) >= 2 and tokens[-1] in FAMILY_NAMES and tokens[-1] != tokens[0]:
        readings.append((tokens[-1], *reversed(tokens[:-1])))
        readings.append((tokens[-1], *tokens[:-1]))
    return list(dict.fromkeys(readings))


def signatures(tokens: Sequence[str]) -> list[str]:
    """Family + given name of every reading of a name (``name_signature`` values)."""
    result = []
    for reading in name_orderings(tokens):
        if len(reading) == 1:
            result.append(reading[0])
        elif reading:
            result.append(f"{reading[0]} {reading[-1]}")
    return list(dict.fromkeys(result))


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


def _part_similarity(a: str, b: str) -> float:
    """Two name parts: equal, one typo apart (still close to 1), or different names
    (pushed towards 0: "hoa" and "hanh" are two people, not a typo)."""
    if a == b:
        return 1.0
    ratio = _ratio(a, b)
    return ratio if ratio >= 0.75 else ratio * ratio * 0.5


def _structured_name_similarity(query: Sequence[str], stored: Sequence[str]) -> float:
    """Family name, given name and middle names compared part by part; a missing middle
    name (on either side) costs little, a different one more."""
    if not query or not stored:
        return 0.0
    if len(query) == 1 or len(stored) == 1:
        return _part_similarity(query[-1], stored[-1]) * 0.6
    family = _part_similarity(query[0], stored[0])
    given = _part_similarity(query[-1], stored[-1])
    q_middle, s_middle = tuple(query[1:-1]), tuple(stored[1:-1])
    if (
        not q_middle
        or not s_middle
        or set(q_middle) <= set(s_middle)
        or set(s_middle) <= set(q_middle)
    ):
        middle = 0.9 if q_middle != s_middle else 1.0
    else:
        q_text, s_text = " ".join(q_middle), " ".join(s_middle)
        # one slip in a short middle name ("vna" for "van") is still that name
        slip = Levenshtein.distance(q_text, s_text, weights=(1, 1, 1)) <= 1 or (
            sorted(q_text) == sorted(s_text) and len(q_text) == len(s_text)
        )
        middle = 0.9 if slip else _part_similarity(q_text, s_text)
    similarity = 0.35 * family + 0.45 * given + 0.2 * middle
    # "Văn" and "Ngọc", "Văn" and "Thị": another middle name is another person, mostly
    return similarity * 0.85 if middle < 0.5 else similarity


def name_similarity(query_tokens: Sequence[str], stored_folded: str) -> float:
    """R6: how alike a typed name (folded words) and a stored folded name are, whatever
    the order of the parts, a missing middle name or a typo."""
    stored = stored_folded.split()
    best = 0.0
    for reading in name_orderings(query_tokens):
        best = max(best, _structured_name_similarity(reading, stored))
    return best


def marked_name_penalty(query_name: str, stored_name: str) -> float:
    """A deduction when the given names fold alike but their diacritics differ; zero when
    the query was typed without diacritics. Another letter ("Hùng" and "Hưng") makes
    another name; another tone mark only ("Hùng", "Húng") is more often a slip."""
    query = unicodedata.normalize("NFC", query_name.lower())
    if query.isascii():
        return 0.0
    stored = unicodedata.normalize("NFC", stored_name.lower())
    q_words, s_words = query.split(), stored.split()
    if not s_words or not q_words or q_words[-1] == s_words[-1]:
        return 0.0
    if fold(q_words[-1]) != fold(s_words[-1]):
        return 0.0
    return 0.05 if _without_tones(q_words[-1]) == _without_tones(s_words[-1]) else 0.2


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _without_tones(word: str) -> str:
    """The word with its tone mark removed and its letters kept ("hừng" → "hưng")."""
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))


def hamlet_text(folded_address: str) -> str:
    """The hamlet part of a stored folded address ("ap my phu", "khom 2"): from its
    hamlet word up to the commune, district or province word ("" if there is none)."""
    words = folded_address.split()
    start = _find_hamlet_word(words)
    if start is None:
        return ""
    end = len(words)
    for position in range(start + 2, len(words)):
        if words[position] in _PLACE_WORDS or words[position : position + 2] in _PLACE_PAIRS:
            end = position
            break
    return " ".join(words[start:end])


def _find_hamlet_word(words: list[str]) -> int | None:
    for position, word in enumerate(words):
        if word in ("ap", "khom", "to", "xom", "doi"):
            return position
        if words[position : position + 2] in (["khu", "pho"], ["khu", "vuc"]):
            return position
    return None


def _house_number(folded_address: str) -> str | None:
    match = _HOUSE_NUMBER.search(folded_address)
    return match.group(1) if match else None


def address_similarity(
    query_folded: str,
    query_commune_id: int | None,
    stored_folded: str,
    stored_commune_id: int | None,
) -> float | None:
    """R6: how alike two addresses are: the same commune first, then the hamlet.

    None when the query gives no address at all. A hamlet typed on one side only is no
    evidence either way; another hamlet of the same commune lowers the score much (two
    namesakes of one commune usually live in different hamlets).
    """
    if not query_folded and query_commune_id is None:
        return None
    if query_commune_id is None or stored_commune_id is None:
        return 0.8 * fuzz.token_set_ratio(query_folded, stored_folded) / 100.0
    if query_commune_id != stored_commune_id:
        return 0.1
    typed_house, stored_house = _house_number(query_folded), _house_number(stored_folded)
    if typed_house and stored_house and typed_house != stored_house:
        return 0.3
    stored_hamlet = hamlet_text(stored_folded)
    typed = _typed_hamlet(query_folded, len(stored_hamlet.split()))
    if not stored_hamlet or typed is None:
        return 0.9
    if any(ch.isdigit() for ch in typed + stored_hamlet):
        return 1.0 if typed.split()[1:] == stored_hamlet.split()[1:] else 0.3
    return 1.0 if _ratio(typed, stored_hamlet) >= 0.85 else 0.3


def _typed_hamlet(query_folded: str, length: int) -> str | None:
    """The query's words in the place of a stored hamlet of ``length`` words: its
    hamlet word ("ap", "khom" …) and the words after it; None when the query names no
    hamlet."""
    words = query_folded.split()
    start = _find_hamlet_word(words)
    if start is None:
        return None
    return " ".join(words[start : start + max(length, 2)])


# Place words (the query's own address) say where, not what: they weigh this little.
PLACE_WEIGHT = 0.1
# A matter is fully alike only with at least this much weight of words found: one common
# word alike ("đất") is weak evidence.
MIN_MATTER_WEIGHT = 2.0


def term_weight(term: str, place_words: frozenset[str] = frozenset()) -> float:
    """How much one matter word tells: numbers and rare words most, common words and
    the words of the citizen's own address little."""
    if term in place_words:
        return PLACE_WEIGHT
    if any(ch.isdigit() for ch in term):
        return 1.5
    if term in COMMON_MATTER_WORDS:
        return 0.25
    return 1.0


@dataclass(frozen=True)
class MatterQuery:
    """The folded words of a typed matter with their weights."""

    terms: tuple[str, ...]
    weights: tuple[float, ...]

    @classmethod
    def from_text(
        cls, matter: str, place_words: frozenset[str] = frozenset()
    ) -> MatterQuery | None:
        """The words of a typed matter (``place_words``: the words of the address typed
        with it); None when nothing was typed."""
        terms = tuple(dict.fromkeys(matter_terms(matter)))
        if not terms:
            return None
        return cls(terms, tuple(term_weight(t, place_words) for t in terms))

    def distinctive(self, count: int) -> list[str]:
        """The ``count`` most telling words (numbers, long rare words, then common ones;
        never the place), to ask the full-text index with; none when no word is telling
        (common words alone would match a good part of all petitions)."""
        telling = [
            (weight, len(term), term)
            for term, weight in zip(self.terms, self.weights, strict=True)
            if weight > PLACE_WEIGHT
        ]
        telling.sort(reverse=True)
        if not telling or telling[0][0] < 1.0:
            return []
        return [term for _, _, term in telling[:count]]


def matter_similarity(query: MatterQuery, stored_text: str) -> float:
    """R12: the weighted share of the typed matter words found in a stored matter (a
    word counts when present or within one typo of a stored word)."""
    stored = set(stored_text.split())
    if not stored:
        return 0.0
    found = 0.0
    for term, weight in zip(query.terms, query.weights, strict=True):
        if term in stored:
            found += weight
        elif len(term) >= 5 and process.extractOne(
            term, stored, scorer=fuzz.ratio, score_cutoff=85
        ):
            found += weight * 0.8
    return found / max(sum(query.weights), MIN_MATTER_WEIGHT)
