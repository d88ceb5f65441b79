"""Which page links a pager shows: a long list (hundreds of pages) links its first and
last pages and those around the current one, not every page (issue 7: a task list of
15,000 rows rendered 775 links)."""

from __future__ import annotations

# Pages linked on each side of the current one.
AROUND = 3


def page_links(page: int, pages: int, around: int = AROUND) -> list[int | None]:
    """The page numbers to link, in order, None where pages are left out (an ellipsis):
    the first, the last, and ``around`` pages each side of ``page``."""
    shown = sorted({1, pages, *range(max(page - around, 1), min(page + around, pages) + 1)})
    links: list[int | None] = []
    for number in shown:
        previous = links[-1] if links else number - 1
        if number - previous == 2:
            links.append(number - 1)  # one page left out: its link, not an ellipsis
        elif number - previous > 2:
            links.append(None)
        links.append(number)
    return links
