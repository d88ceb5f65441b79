"""The user guide in the application and the help link of each screen (R22, R23)."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from app.guide.pages import HELP_TOPICS, IMAGE_DIR, PAGES
from tests.conftest import login


@pytest.mark.parametrize("slug", sorted(PAGES))
def test_each_page_of_the_guide_shows_in_vietnamese_with_its_pictures(app, client, slug):
    login(client, "caolanh.tcd")
    response = client.get(f"/guide/{slug}")
    assert response.status_code == 200
    page = lxml_html.fromstring(response.get_data(as_text=True))
    [article] = page.xpath("//article[@id='guide-page']")
    assert article.xpath("h1")[0].text_content() == PAGES[slug].title()
    assert "{#" not in article.text_content()
    sources = article.xpath(".//img/@src")
    assert sources == [f"img/{name}" for name in PAGES[slug].images()]
    for source in sources:
        picture = client.get(f"/guide/{source}")
        assert picture.status_code == 200 and picture.data.startswith(b"\x89PNG")


def test_every_picture_of_the_guide_is_in_the_repository():
    missing = [
        f"{page.slug}: {name}"
        for page in PAGES.values()
        for name in page.images()
        if not (IMAGE_DIR / name).is_file()
    ]
    assert missing == [], "run `make guide` and commit docs/guide/img"


def test_every_help_link_names_a_screen_and_a_section_that_exist(app):
    views = {view.__class__.__name__ for view in app.appbuilder.baseviews}
    assert set(HELP_TOPICS) <= views
    for slug, section in HELP_TOPICS.values():
        assert section in PAGES[slug].section_ids(), (slug, section)


def test_the_intake_screen_links_to_its_section_of_the_guide(app, client):
    login(client, "caolanh.tcd")
    page = lxml_html.fromstring(client.get("/petitions/intake/").get_data(as_text=True))
    [link] = page.xpath("//a[@id='help-link']")
    assert link.get("href") == "/guide/tiep-nhan-xu-ly-don#tiep-nhan-don-moi"
    assert link.text_content().strip() == "Hướng dẫn"
    index = lxml_html.fromstring(client.get("/guide/").get_data(as_text=True))
    titles = [a.text_content() for a in index.xpath("//ul[@id='guide-pages']//a")]
    assert "Tiếp nhận và xử lý đơn" in titles and len(titles) == len(PAGES)


def test_the_guide_needs_a_login_and_serves_nothing_outside_its_pictures(app, client):
    assert client.get("/guide/quan-tri").status_code == 302
    login(client, "caolanh.tcd")
    assert client.get("/guide/khong-co-trang-nay").status_code == 404
    assert client.get("/guide/img/..%2F..%2F..%2Fconfig.py").status_code == 404
    assert client.get("/guide/img/khong-co.png").status_code == 404
