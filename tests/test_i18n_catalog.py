"""The Vietnamese catalog: complete, well formed, compiled, and used for FAB's screens."""

from __future__ import annotations

import re
from pathlib import Path

import flask_appbuilder
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import gettext, ngettext
from wtforms.i18n import messages_path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "app" / "translations"
PO = I18N / "vi" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")

FAB_SAMPLE = {
    "List Users": "Danh sách người dùng",
    "List Roles": "Danh sách vai trò",
    "Security": "Quản trị",
    "First Name": "Họ và tên đệm",
    "Last Name": "Tên",
    "User Name": "Tên đăng nhập",
    "Is Active?": "Còn hoạt động?",
    "Role": "Vai trò",
    "Permissions": "Quyền",
    "Record Count": "Tổng số bản ghi",
    "Starts with": "Bắt đầu bằng",
    "Equal to": "Bằng",
    "Contains": "Có chứa",
    "Greater than": "Lớn hơn",
    "Relation": "Liên kết với",
    "Add Filter": "Thêm điều kiện lọc",
    "Search": "Tìm kiếm",
    "Save": "Lưu",
    "Back": "Quay lại",
    "Edit": "Sửa",
    "Delete": "Xóa",
    "Actions": "Thao tác",
    "Page size": "Số dòng mỗi trang",
    "Added Row": "Đã thêm mới bản ghi",
    "Changed Row": "Đã cập nhật bản ghi",
    "Deleted Row": "Đã xóa bản ghi",
    "Access is Denied": "Không có quyền truy cập",
    "Invalid login. Please try again.": "Đăng nhập không thành công. Vui lòng thử lại.",
    "Are you sure you want to delete this item?": "Bạn có chắc chắn muốn xóa bản ghi này?",
    "Login": "Đăng nhập",
    "Logout": "Đăng xuất",
    "This field is required.": "Trường này là bắt buộc.",
}
# Placeholders and format hints that may stay as they are in a translation.
_NOT_WORDS = re.compile(r"%\(\w+\)[sd]|%[sd]|dd/mm/yyyy|hh:mm|HH:MM")
_ENGLISH_IN_TRANSLATION = re.compile(
    r"\b(the|and|of|is|are|please|must|field|invalid|with|your|this|cannot|record)\b", re.I
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle)


def _first(value: str | tuple[str, ...]) -> str:
    return value if isinstance(value, str) else value[0]


def _entries(messages: Catalog) -> dict[str | tuple[str, ...], str | tuple[str, ...]]:
    def plain(value: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
        return value if isinstance(value, str) else tuple(value)

    return {plain(m.id): plain(m.string) for m in messages if m.id}


def _extracted_msgids(directory: Path) -> set[str]:
    """What ``make catalog`` extracts from ``directory`` (babel.cfg, Makefile keywords)."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    makefile = (ROOT / "Makefile").read_text()
    babel_opts = re.search(r"^BABEL_OPTS :=((?:.*\\\n)*.*)$", makefile, re.M).group(1)
    keywords = {**DEFAULT_KEYWORDS, **dict.fromkeys(re.findall(r"-k (\S+)", babel_opts))}
    return {
        _first(message)
        for _file, _line, message, _comments, _context in extract_from_dir(
            directory, method_map, options_map, keywords=keywords
        )
    }


def _drop_msgids() -> set[str]:
    return {
        line.split("\t", 1)[0].strip()
        for path in ROOT.glob("app/*/i18n_vi.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }


def test_header_declares_vietnamese_with_one_plural_form(catalog: Catalog) -> None:
    assert str(catalog.locale) == "vi"
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    assert not catalog.fuzzy


def test_every_message_is_translated_without_fuzzy_or_format_errors(catalog: Catalog) -> None:
    messages = [message for message in catalog if message.id]
    assert not [m.id for m in messages if m.fuzzy]
    assert not [m.id for m in messages if not all(m.string if m.pluralizable else [m.string])]
    assert all(len(m.string) == 1 for m in messages if m.pluralizable)
    assert not [(m.id, errors) for m, errors in catalog.check()]


def test_no_english_is_left_in_translations(catalog: Catalog) -> None:
    for message in catalog:
        if not message.id:
            continue
        msgid, msgstr = _first(message.id), _first(message.string)
        if msgstr == msgid:
            assert not re.search(r"[A-Za-z]{2,}", _NOT_WORDS.sub("", msgid)), msgid
        assert not _ENGLISH_IN_TRANSLATION.search(_NOT_WORDS.sub("", msgstr)), msgstr


def test_catalog_has_every_msgid_of_the_sources(catalog: Catalog) -> None:
    """Ours, Flask-AppBuilder's, WTForms' and the drop files': run `make catalog` if not."""
    with (Path(messages_path()) / "wtforms.pot").open("rb") as handle:
        wtforms = {_first(m.id) for m in read_po(handle) if m.id}
    fab = _extracted_msgids(Path(flask_appbuilder.__file__).parent)
    ours = _extracted_msgids(ROOT / "app")
    translated = {_first(m.id) for m in catalog if m.id and _first(m.string)}
    sources = [("FAB", fab), ("WTForms", wtforms), ("app", ours), ("drop", _drop_msgids())]
    for source, msgids in sources:
        missing = sorted(msgids - translated)
        assert not missing, f"untranslated {source} msgids (run `make catalog`): {missing}"
    assert len(fab) > 150


def test_compiled_catalog_is_up_to_date(catalog: Catalog) -> None:
    assert MO.exists(), "run `make translations` to compile the catalog"
    with MO.open("rb") as handle:
        compiled = read_mo(handle)
    assert _entries(compiled) == _entries(catalog), "run `make translations`"


def test_app_translates_framework_strings(app: Flask) -> None:
    with app.test_request_context("/"):
        assert {msgid: gettext(msgid) for msgid in FAB_SAMPLE} == FAB_SAMPLE
        singular = "Field cannot be longer than %(max)d character."
        plural = "Field cannot be longer than %(max)d characters."
        assert ngettext(singular, plural, 50, max=50) == "Không được dài quá 50 ký tự."
        assert ngettext(singular, plural, 1, max=1) == "Không được dài quá 1 ký tự."
