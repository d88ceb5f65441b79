"""The demo province is loaded and a demo clerk can log in and see Vietnamese pages."""

from sqlalchemy import func, select

from tests.conftest import login


def test_demo_province_has_the_2017_tree(app_ctx):
    from app.agencies.models import Agency
    from app.extensions import db

    count = db.session.scalar(select(func.count(Agency.id)))
    assert count == 227
    board = db.session.scalar(select(Agency).where(Agency.code == "DT17-866-TCD"))
    assert board.path == "/DT17-UBT/DT17-866-UB/DT17-866-VP/DT17-866-TCD/"
    assert board.receives_petitions


def test_clerk_logs_in_and_sees_home(client):
    login(client, "caolanh.tcd")
    page = client.get("/").get_data(as_text=True)
    assert "Ban Tiếp công dân thành phố Cao Lãnh" in page


def test_each_test_starts_from_the_base_data(app_ctx):
    from app.agencies.models import Agency
    from app.extensions import db

    db.session.add(Agency(code="TEMP-1", name="Tạm", kind_id=1))
    db.session.commit()
    assert db.session.scalar(select(func.count(Agency.id))) == 228


def test_previous_test_left_nothing_behind(app_ctx):
    from app.agencies.models import Agency
    from app.extensions import db

    assert db.session.scalar(select(Agency).where(Agency.code == "TEMP-1")) is None
