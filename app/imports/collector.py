"""Python's garbage collector while an import runs (issue 7, speed).

An import holds the rows of its file, and what the rows already checked became, until it
ends: hundreds of thousands of objects. Each full pass of the collector looks at all of
them, and a growing heap sets off pass after pass: a sixth of the time of a
100,000-row import, measured (``bench/import_petitions.py``). What the import holds is
therefore put out of the collector's sight after each chunk (``gc.freeze``); the garbage
a chunk makes and drops is still collected, and everything is given back to the
collector when the import ends.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def held_rows() -> Iterator[Callable[[], None]]:
    """Issue 7: the objects alive now, and at each call of the function given, are no
    longer scanned by the collector until the block ends."""
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()
