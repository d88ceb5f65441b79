"""Running blocking library calls that start their own asyncio loop.

pyHanko's synchronous API calls ``asyncio.run``, which refuses to run in a thread that
already has a running event loop (an async server, or Playwright's sync API in tests).
A short-lived worker thread has no loop, so the call works from any context.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def in_worker_thread(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call ``fn(*args, **kwargs)`` in a fresh thread without an event loop; return its
    result or raise its exception."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()
