"""Lists remember their filters, sort, search words and page size for the session
(issue 3; issue 8 "list pages remember filters and page size").

Kept in the signed Flask session cookie, one small entry per list, so every instance
of the app sees the same remembered arguments and no other user shares them. The page
number is not remembered: coming back opens the first page of the same list.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import request, session

PAGE_SIZES = (20, 50, 100)
RESET = "reset"
SESSION_PREFIX = "lists."


def remembered_args(key: str) -> dict[str, str]:
    """The list's arguments: the request's (and remember them), else those the user
    last used on list ``key`` in this session; ``?reset=1`` ("Xóa bộ lọc") forgets them."""
    stored = SESSION_PREFIX + key
    if RESET in request.args:
        session.pop(stored, None)
        return {}
    if not request.args:
        return dict(session.get(stored, {}))
    args = {name: value for name, value in request.args.items() if value != ""}
    session[stored] = {name: value for name, value in args.items() if name != "page"}
    return args


def page_and_size(args: dict[str, str], sizes: Sequence[int] = PAGE_SIZES) -> tuple[int, int]:
    """The page asked for (from 1) and a page size among ``sizes`` (the first if the one
    asked for is not offered)."""
    page = int(args["page"]) if args.get("page", "").isdigit() else 1
    size = int(args["psize"]) if args.get("psize", "").isdigit() else sizes[0]
    return max(page, 1), size if size in sizes else sizes[0]
