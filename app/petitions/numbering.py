"""Register numbers: every petition gets the next number of its agency's yearly register
(TT 07/2014 Art. 29, "đánh số thứ tự"); case codes number an agency's cases of a year
(R6: one code per matter across the province).

A case code is its agency's prefix and a number of at least five digits
(``VV2026-DT17-866-TCD-00012``, then ``…-99999``, ``…-100000``): the last number is
found by the code's length, then its text, never by the text alone ("…-99999" sorts
after "…-100000").
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.petitions.models import Case, Petition

# Digits of a case number, zero-padded (more once the count passes 99,999).
CASE_NUMBER_DIGITS = 5


def next_register_number(session: Session, agency_id: int, year: int) -> int:
    """The next free number of the agency's register for ``year``.

    Two clerks saving at the same instant may draw the same number; the unique constraint
    (agency, year, number) then refuses the second save, which the caller retries.
    """
    current = session.scalar(
        select(func.max(Petition.register_number))
        .where(Petition.agency_id == agency_id, Petition.register_year == year)
        .execution_options(include_deleted=True)
    )
    return (current or 0) + 1


def last_case_number(session: Session, prefix: str) -> int:
    """R6: the highest number among the case codes ``prefix`` + digits (0: none yet).

    Codes of another agency whose code starts with this one's followed by "-" share the
    prefix but have a "-" after it: they are not counted."""
    suffix = func.substr(Case.code, len(prefix) + 1)
    last = session.scalar(
        select(Case.code)
        .where(Case.code.startswith(prefix, autoescape=True), ~suffix.contains("-"))
        .order_by(func.length(Case.code).desc(), Case.code.desc())
        .limit(1)
    )
    return int(last[len(prefix) :]) if last else 0


def format_case_code(prefix: str, number: int) -> str:
    """R6: the case code of ``number`` under ``prefix``, zero-padded to five digits."""
    return f"{prefix}{number:0{CASE_NUMBER_DIGITS}d}"
