"""Legal references of the managed reason list written as an official document cites them.

The reason list keeps short references ("TT 07/2014 Điều 21 khoản 2"); a slip cites
"khoản 2 Điều 21 Thông tư số 07/2014/TT-TTCP" (clause, article, then the instrument with
its full number). References to forms ("Mẫu số 02") are not legal grounds and are left out.
"""

from __future__ import annotations

import re

_INSTRUMENTS = (
    (re.compile(r"\bTT (\d{2})/(\d{4})\b"), r"Thông tư số \1/\2/TT-TTCP"),
    (re.compile(r"\bNĐ (\d+)/(\d{4})\b"), r"Nghị định số \1/\2/NĐ-CP"),
    (re.compile(r"\bLuật Khiếu nại\b(?! năm)"), "Luật Khiếu nại năm 2011"),
    (re.compile(r"\bLuật Tiếp công dân\b(?! năm)"), "Luật Tiếp công dân năm 2013"),
)
_ARTICLE = re.compile(
    r"^(?P<instrument>.+?)\s+(?P<article>Điều\s+\d+(?:\s*,\s*\d+)*)(?:\s+khoản\s+(?P<clause>\d+))?$"
)


def legal_citation(reference: str | None) -> str:
    """A short reference list ("TT 07/2014 Điều 21 khoản 2; TT 05/2021") as a document
    cites it ("khoản 2 Điều 21 Thông tư số 07/2014/TT-TTCP; Thông tư số 05/2021/TT-TTCP")."""
    cited = []
    for part in (reference or "").split(";"):
        part = part.strip()
        if not part or "Mẫu" in part:
            continue
        match = _ARTICLE.match(part)
        if match:
            clause = f"khoản {match['clause']} " if match["clause"] else ""
            part = f"{clause}{match['article']} {match['instrument']}"
        for pattern, replacement in _INSTRUMENTS:
            part = pattern.sub(replacement, part)
        cited.append(part)
    return "; ".join(cited)
