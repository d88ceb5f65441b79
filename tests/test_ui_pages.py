"""The pager links the first, the last and the pages around the current one (issue 7:
a list of hundreds of pages no longer renders a link per page)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.ui.pages import page_links


def test_a_short_list_links_every_page():
    assert page_links(1, 1) == [1]
    assert page_links(3, 7) == [1, 2, 3, 4, 5, 6, 7]


def test_a_long_list_links_its_ends_and_the_pages_around_the_current_one():
    assert page_links(1, 775) == [1, 2, 3, 4, None, 775]
    assert page_links(400, 775) == [1, None, 397, 398, 399, 400, 401, 402, 403, None, 775]
    assert page_links(775, 775) == [1, None, 772, 773, 774, 775]


def test_a_single_page_left_out_is_linked_rather_than_hidden():
    assert page_links(6, 20) == [1, 2, 3, 4, 5, 6, 7, 8, 9, None, 20]


@given(st.integers(1, 5000).flatmap(lambda pages: st.tuples(st.integers(1, pages), st.just(pages))))
def test_links_are_ordered_bounded_and_hold_the_current_page(case):
    page, pages = case
    links = page_links(page, pages)
    numbers = [n for n in links if n is not None]
    assert numbers == sorted(set(numbers))
    assert numbers[0] == 1 and numbers[-1] == pages and page in numbers
    assert len(links) <= 11
    for index, number in enumerate(links):
        if number is None:  # an ellipsis stands for two pages or more
            assert links[index + 1] - links[index - 1] > 2
