"""The check formulas of a form's column-number (MS) row, e.g. ``1=2+3`` or
``9=11+12+13=14+15+16+17=18+22`` or ``1=2+..+7`` (R21).

Every side of a formula is a sum (or difference) of numbered columns; ``a+..+b`` (also
``a+...+b``, ``a+…+b``) stands for every column from a to b. A report is verified on every
row (agencies, subtotals, total) before it is exported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

Term = tuple[int, str]  # (+1 or -1, column number)
_RANGE = re.compile(r"(\d+)\s*\+\s*(?:\.\.\.?|…)\s*\+\s*(\d+)")
_TERM = re.compile(r"\s*([+-]?)\s*(\d+)\s*")
# Money is counted to the thousand đồng: sums agree within half of it.
TOLERANCE = 0.0005


class FormulaError(ValueError):
    """A check formula that cannot be read; the text names it."""


@dataclass(frozen=True)
class Check:
    """A parsed check formula: its text and the column terms of each side."""

    text: str
    sides: tuple[tuple[Term, ...], ...]

    @property
    def columns(self) -> set[str]:
        """Every column number the formula names."""
        return {ms for side in self.sides for _, ms in side}


@dataclass(frozen=True)
class Failure:
    """A check that does not hold on a row: the row's label and each side's value."""

    check: Check
    row_label: str
    values: tuple[float, ...]


def _expand(side: str) -> str:
    def repl(match: re.Match[str]) -> str:
        first, last = int(match.group(1)), int(match.group(2))
        return "+".join(str(n) for n in range(first, last + 1))

    return _RANGE.sub(repl, side)


def parse_check(text: str) -> Check:
    """R21: read a check formula of the MS row; FormulaError when it is not one."""
    sides = [_expand(side) for side in str(text).split("=")]
    if len(sides) < 2:
        raise FormulaError(text)
    parsed = []
    for side in sides:
        terms = []
        position = 0
        while position < len(side):
            match = _TERM.match(side, position)
            if match is None or match.end() == position:
                raise FormulaError(text)
            if terms and not match.group(1):
                raise FormulaError(text)
            terms.append((-1 if match.group(1) == "-" else 1, match.group(2)))
            position = match.end()
        if not terms:
            raise FormulaError(text)
        parsed.append(tuple(terms))
    return Check(str(text), tuple(parsed))


def side_values(side: tuple[Term, ...], frame: pd.DataFrame) -> pd.Series:
    """The value of one side of a formula on every row of ``frame`` (columns by number)."""
    total = pd.Series(0.0, index=frame.index)
    for sign, ms in side:
        total = total + sign * frame[ms].astype(float).fillna(0.0)
    return total


def failures(check: Check, frame: pd.DataFrame, labels: pd.Series) -> list[Failure]:
    """R21: the rows of ``frame`` on which ``check`` does not hold (vectorised)."""
    values = [side_values(side, frame) for side in check.sides]
    wrong = pd.Series(False, index=frame.index)
    for other in values[1:]:
        wrong |= ~np.isclose(values[0], other, rtol=0, atol=TOLERANCE)
    return [
        Failure(check, str(labels[index]), tuple(float(side[index]) for side in values))
        for index in frame.index[wrong]
    ]
