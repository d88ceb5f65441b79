"""Agency screens (issue 2, R1–R3): the tree of the user's scope, the agency page and the
add/edit form whose tree rules refuse bad edits with a Vietnamese message."""

from __future__ import annotations

import datetime as dt

import lxml.html
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.agencies.importer import import_agencies
from app.agencies.models import Agency
from app.demo.loader import DATA_DIR
from app.extensions import db
from tests.conftest import login

TREE = "/agencies/tree/"


def page(client: FlaskClient, url: str) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.get_data(as_text=True))


def cls(name: str) -> str:
    """XPath test: the element has CSS class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def tree_codes(doc: lxml.html.HtmlElement) -> list[str]:
    return [code.text for code in doc.xpath(f"//ul[@id='agency-tree']//code[{cls('agency-code')}]")]


def agency_of(app: Flask, code: str) -> Agency:
    with app.app_context():
        found = db.session.scalar(select(Agency).where(Agency.code == code))
        db.session.expunge_all()
        db.session.remove()
        return found


def load_2025(app: Flask) -> None:
    with app.app_context():
        import_agencies(DATA_DIR / "dong-thap-2025-agencies.csv", db.session)
        db.session.commit()
        db.session.remove()


def line_of(doc: lxml.html.HtmlElement, agency_id: int) -> lxml.html.HtmlElement:
    return doc.xpath(f"//li[@id='agency-{agency_id}']/div[{cls('agency-line')}]")[0]


def labels(element: lxml.html.HtmlElement, name: str) -> list[lxml.html.HtmlElement]:
    return element.xpath(f".//span[{cls(name)}]")


def test_the_clerk_finds_the_tree_in_the_menu_and_sees_only_their_board(client):
    login(client, "caolanh.tcd")
    assert page(client, "/").xpath(f"//a[@href='{TREE}']")
    doc = page(client, TREE)
    assert tree_codes(doc) == ["DT17-866-TCD"]
    text = doc.text_content()
    assert "Lai Vung" not in text
    superiors = [li.text_content() for li in doc.xpath(f"//ol[{cls('agency-superiors')}]/li")][1:]
    assert superiors == [
        "Ủy ban nhân dân tỉnh Đồng Tháp",
        "Ủy ban nhân dân thành phố Cao Lãnh",
        "Văn phòng HĐND và UBND thành phố Cao Lãnh",
    ]


def test_a_district_administrator_sees_the_district_subtree_nested(client):
    login(client, "caolanh.quantri")
    doc = page(client, TREE)
    codes = tree_codes(doc)
    assert len(codes) == 19 and codes[0] == "DT17-866-UB"
    assert not [code for code in codes if not code.startswith(("DT17-866-", "DT17-29"))]
    city = doc.xpath("//ul[@id='agency-tree']/li")[0]
    nested = city.xpath(f"./ul[@role='group']/li//code[{cls('agency-code')}]")
    assert "DT17-866-TCD" in [code.text for code in nested]
    assert "lai vung" not in doc.text_content().lower()


def test_administrator_and_monitor_see_the_whole_province(client):
    for username in ("admin", "btcd.giamsat"):
        login(client, username)
        doc = page(client, TREE)
        assert len(tree_codes(doc)) == 227
        roots = doc.xpath(f"//ul[@id='agency-tree']/li/div/code[{cls('agency-code')}]")
        assert [code.text for code in roots] == ["DT17-UBT"]
        assert "Lai Vung" in doc.text_content()
        client.get("/logout/")


def test_tree_lines_show_capabilities_operating_office_and_search_text(app, client):
    city = agency_of(app, "DT17-866-UB")
    board = agency_of(app, "DT17-866-TCD")
    login(client, "admin")
    doc = page(client, TREE)
    city_line = line_of(doc, city.id)
    assert labels(city_line, "label-primary")  # R3: assigns tasks
    assert "Văn phòng HĐND và UBND thành phố Cao Lãnh" in city_line.text_content()
    assert not labels(city_line, "label-success")
    assert labels(line_of(doc, board.id), "label-success")  # R2: receives petitions
    item = doc.xpath(f"//li[@id='agency-{board.id}']")[0]
    assert "ban tiep cong dan thanh pho cao lanh" in item.get("data-search")
    link = line_of(doc, board.id).xpath("./a")[0]
    assert link.get("href") == f"/agencymodelview/show/{board.id}"


def test_tree_marks_agencies_succeeded_in_2025_and_inactive_ones(app, client):
    load_2025(app)
    with app.app_context():
        closed = db.session.scalar(select(Agency).where(Agency.code == "DT17-SNGV"))
        closed.active = False
        db.session.commit()
        db.session.remove()
    old = agency_of(app, "DT17-STNMT")
    new = agency_of(app, "DT25-SNNMT")
    closed = agency_of(app, "DT17-SNGV")
    login(client, "admin")
    doc = page(client, TREE)
    assert len(tree_codes(doc)) == 227 + 116
    assert labels(line_of(doc, old.id), "label-warning")
    assert not labels(line_of(doc, new.id), "label-warning")
    assert not labels(line_of(doc, new.id), "label-default")
    assert labels(line_of(doc, closed.id), "label-default")
    assert "agency-ended" in line_of(doc, closed.id).get("class")


def test_agency_page_shows_superiors_children_capabilities_and_accounts(app, client):
    city = agency_of(app, "DT17-866-UB")
    login(client, "caolanh.quantri")
    doc = page(client, f"/agencymodelview/show/{city.id}")
    assert doc.xpath("//h1")[0].text_content().startswith("Ủy ban nhân dân thành phố Cao Lãnh")
    crumbs = doc.xpath(f"//ol[{cls('agency-breadcrumb')}]/li")
    assert [li.text_content().strip() for li in crumbs[1:]] == [
        "Ủy ban nhân dân tỉnh Đồng Tháp",
        "Ủy ban nhân dân thành phố Cao Lãnh",
    ]
    assert not crumbs[1].xpath(".//a")  # the province is outside this user's scope
    children = [
        name.text
        for name in doc.xpath(f"//section[{cls('agency-children')}]//a/span[{cls('agency-name')}]")
    ]
    assert len(children) == 17
    assert children[0] == "Văn phòng HĐND và UBND thành phố Cao Lãnh"
    facts = doc.xpath(f"//dl[{cls('agency-facts')}]")[0].text_content()
    assert "25/09/2017" in facts
    assert "Văn phòng HĐND và UBND thành phố Cao Lãnh" in facts  # operating office (R3)
    assert labels(doc, "agency-user-count")[0].text == "1"
    assert not doc.xpath(f"//a[@href='/agencymodelview/edit/{city.id}']")


def test_agency_page_lists_predecessors_with_dates(app, client):
    load_2025(app)
    merged = agency_of(app, "DT25-SNNMT")
    login(client, "admin")
    doc = page(client, f"/agencymodelview/show/{merged.id}")
    table = doc.xpath(f"//table[{cls('agency-succession')}]")[0].text_content()
    assert "Sở Tài nguyên và Môi trường tỉnh Đồng Tháp" in table
    assert "Sở Nông nghiệp và Phát triển nông thôn tỉnh Đồng Tháp" in table
    assert table.count("01/07/2025") == 2
    assert doc.xpath(f"//a[@href='/agencymodelview/edit/{merged.id}']")


def test_an_agency_outside_the_scope_answers_404(app, client):
    other = agency_of(app, "DT17-876-TCD")
    login(client, "caolanh.tcd")
    assert client.get(f"/agencymodelview/show/{other.id}").status_code == 404


def form_values(client: FlaskClient, url: str) -> dict[str, str]:
    doc = page(client, url)
    form = next(f for f in doc.forms if "valid_from" in f.fields)
    return dict(form.form_values())


def as_form_date(values: dict[str, str], day: dt.date) -> str:
    """``day`` written the way the form writes its dates (dd/mm/yyyy or ISO)."""
    return day.strftime("%d/%m/%Y") if "/" in values.get("valid_from", "") else day.isoformat()


def test_choosing_a_descendant_as_parent_is_refused_and_nothing_saved(app, client):
    city = agency_of(app, "DT17-866-UB")
    office = agency_of(app, "DT17-866-VP")
    login(client, "admin")
    url = f"/agencymodelview/edit/{city.id}"
    values = form_values(client, url)
    values["parent"] = str(office.id)
    response = client.post(url, data=values)
    assert response.status_code == 200
    assert "nó thuộc cây của “Ủy ban nhân dân thành phố Cao Lãnh”" in response.get_data(
        as_text=True
    )
    after = agency_of(app, "DT17-866-UB")
    assert after.parent_id == city.parent_id and after.path == "/DT17-UBT/DT17-866-UB/"
    assert agency_of(app, "DT17-866-VP").path == "/DT17-UBT/DT17-866-UB/DT17-866-VP/"


def test_an_agency_cannot_be_its_own_parent(app, client):
    board = agency_of(app, "DT17-866-TCD")
    login(client, "admin")
    url = f"/agencymodelview/edit/{board.id}"
    values = form_values(client, url)
    values["parent"] = str(board.id)
    body = client.post(url, data=values).get_data(as_text=True)
    assert "Một cơ quan không thể là cơ quan cấp trên của chính nó." in body
    assert agency_of(app, "DT17-866-TCD").parent_id == board.parent_id


def test_moving_and_renaming_an_agency_updates_paths_and_sort_key(app, client):
    board = agency_of(app, "DT17-866-TCD")
    city = agency_of(app, "DT17-866-UB")
    login(client, "admin")
    url = f"/agencymodelview/edit/{board.id}"
    values = form_values(client, url)
    values["parent"] = str(city.id)
    values["name"] = "Ban Tiếp công dân Cao Lãnh"
    response = client.post(url, data=values)
    assert response.status_code == 302
    moved = agency_of(app, "DT17-866-TCD")
    assert moved.path == "/DT17-UBT/DT17-866-UB/DT17-866-TCD/"
    assert moved.name == "Ban Tiếp công dân Cao Lãnh"
    assert moved.name_key != board.name_key


def test_adding_an_agency_places_it_in_the_tree(app, client):
    city = agency_of(app, "DT17-866-UB")
    login(client, "admin")
    values = form_values(client, "/agencymodelview/add")
    values.update(
        code="DT17-866-TN",
        name="Tổ tiếp nhận đơn thử nghiệm",
        kind=str(city.kind_id),
        parent=str(city.id),
        receives_petitions="y",
    )
    values.pop("assigns_tasks", None)
    response = client.post("/agencymodelview/add", data=values)
    assert response.status_code == 302, response.get_data(as_text=True)
    added = agency_of(app, "DT17-866-TN")
    assert added.path == "/DT17-UBT/DT17-866-UB/DT17-866-TN/"
    assert added.receives_petitions and added.name_key


def test_refused_form_values_show_vietnamese_messages(app, client):
    board = agency_of(app, "DT17-866-TCD")
    office = agency_of(app, "DT17-866-VP")
    login(client, "admin")
    url = f"/agencymodelview/edit/{board.id}"
    values = form_values(client, url)
    values.update(
        code="DT17 866",
        operating_office=str(office.id),
        valid_from=as_form_date(values, dt.date(2025, 7, 1)),
        valid_to=as_form_date(values, dt.date(2025, 6, 30)),
    )
    values.pop("assigns_tasks", None)
    body = client.post(url, data=values).get_data(as_text=True)
    assert "Mã cơ quan không hợp lệ" in body
    assert "Chỉ cơ quan giao nhiệm vụ mới có văn phòng" in body
    assert "Ngày hết hiệu lực không được trước ngày có hiệu lực." in body
    unchanged = agency_of(app, "DT17-866-TCD")
    assert unchanged.code == "DT17-866-TCD" and unchanged.operating_office_id is None
