"""Builds the Word templates of the petition slips under report_templates/slips/.

Run after changing a layout: ``.venv/bin/python scripts/build_slip_templates.py``. The
.docx files are committed; the application renders them with docxtpl and never runs this
script. Administrators may also edit a committed .docx in Word, keeping the ``{{ … }}``
placeholders (the context is documented in app/petitions/slips.py).

Layout of Decree 30/2020/NĐ-CP, Appendix I: A4, margins 20 mm top and bottom, 30 mm left,
20 mm right; Times New Roman; a header table with the issuing body (superior body above,
agency in bold, the number below) on the left and the national motto with the place and
date (italic) on the right; title in bold capitals; body 14 pt, justified, first line
indented; "Nơi nhận" (12/11 pt) on the left and the signer on the right.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "report_templates" / "slips"
FONT = "Times New Roman"
BODY_PT = 14
LEFT_COLUMN, RIGHT_COLUMN = Cm(6.5), Cm(9.5)


def _new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.1
    return doc


def _paragraph(
    container,
    text: str = "",
    *,
    size: int = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent_first: bool = False,
    after: int = 0,
):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent_first:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    paragraph.paragraph_format.space_after = Pt(after)
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
    return paragraph


def _body(container, text: str, *, after: int = 6):
    """A body paragraph: justified, first line indented, 14 pt."""
    return _paragraph(
        container, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=True, after=after
    )


def _tag(container, tag: str):
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}), removed when rendered."""
    return _paragraph(container, tag)


def _rule(container, width_cm: float, column_cm: float):
    """A short centred horizontal line under a heading (a bordered empty paragraph)."""
    paragraph = container.add_paragraph()
    side = Cm((column_cm - width_cm) / 2)
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    paragraph.paragraph_format.space_after = Pt(6)
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.append(borders)
    run = paragraph.add_run()
    run.font.size = Pt(2)
    return paragraph


def _narrow_cell_margins(table) -> None:
    """Cell margins of 0.05 cm, so that the motto fits its column on one line."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "28")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.append(margins)


def _two_columns(doc):
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _narrow_cell_margins(table)
    for column, cell, width in zip(
        table.columns, table.rows[0].cells, (LEFT_COLUMN, RIGHT_COLUMN), strict=True
    ):
        column.width = width
        cell.width = width
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table.rows[0].cells


def _header(doc) -> None:
    """Issuing body and number (left); national motto, place and date (right)."""
    left, right = _two_columns(doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(left, "{{ superior }}", size=12, align=center)
    _paragraph(left, "{{ agency_line }}", size=13, bold=True, align=center)
    _rule(left, 2.5, 6.5)
    _paragraph(left, "Số: {{ number }}", size=13, align=center)
    _paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align=center)
    _paragraph(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, align=center)
    _rule(right, 5.2, 9.5)
    _paragraph(right, "{{ place_date }}", size=13, italic=True, align=center)
    _paragraph(doc, "", after=12)


def _title(doc, title: str, subtitle: str) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(doc, title, bold=True, align=center)
    _paragraph(doc, subtitle, bold=True, align=center)
    _rule(doc, 3.5, 16)


def _addressee(doc, text: str) -> None:
    _paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)


def _citizens(doc) -> None:
    """One paragraph per citizen who filed or signed the petition."""
    _tag(doc, "{%p for c in citizens %}")
    _body(
        doc,
        "- {{ c.title }} {{ c.name }}{% if c.birth_year %}, sinh năm {{ c.birth_year }}"
        "{% endif %}{% if c.id_number %}; số định danh cá nhân/CMND: {{ c.id_number }}"
        "{% endif %}; địa chỉ: {{ c.address }}.",
        after=3,
    )
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if others %}")
    _body(doc, "- Cùng {{ others }} người khác đứng tên trong đơn.", after=3)
    _tag(doc, "{%p endif %}")


def _signature(doc, cc: bool = True) -> None:
    """Nơi nhận (left) and the agency's signer (right)."""
    left, right = _two_columns(doc)
    if cc:
        _paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True)
        _tag(left, "{%p for r in recipients %}")
        _paragraph(left, "- {{ r }};", size=11)
        _tag(left, "{%p endfor %}")
        _paragraph(left, "- Lưu: VT, hồ sơ.", size=11)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _tag(right, "{%p for line in signer_lines %}")
    _paragraph(right, "{{ line }}", bold=True, align=center)
    _tag(right, "{%p endfor %}")
    _paragraph(right, "(Ký, ghi rõ họ tên và đóng dấu)", size=13, italic=True, align=center)


def receipt() -> Document:
    """Giấy biên nhận: the citizen's receipt for a petition and its papers."""
    doc = _new_document()
    _header(doc)
    _title(doc, "GIẤY BIÊN NHẬN", "Về việc tiếp nhận đơn, thông tin, tài liệu, bằng chứng")
    _body(
        doc,
        "Vào hồi {{ received_time }}, {{ received_date }}, tại {{ agency_name }}, "
        "cán bộ tiếp nhận {{ official }} đã nhận đơn {{ kind }} của:",
    )
    _citizens(doc)
    _body(doc, "Nội dung đơn: {{ summary }}")
    _body(doc, "Số vào sổ tiếp nhận đơn: {{ register_code }}.")
    _body(doc, "Thông tin, tài liệu, bằng chứng kèm theo:", after=3)
    _tag(doc, "{%p for a in attachments %}")
    _body(doc, "- {{ a.name }}{% if a.original %} (bản gốc){% endif %};", after=3)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if not attachments %}")
    _body(doc, "- Không có.", after=3)
    _tag(doc, "{%p endif %}")
    _body(
        doc,
        "{{ agency_name }} sẽ xử lý đơn và thông báo kết quả cho người nộp đơn chậm nhất "
        "{{ due_date }} (Điều 28 Luật Tiếp công dân). Bản gốc giấy tờ, tài liệu đã nhận "
        "được trả lại theo quy định (Điều 10 Thông tư số 07/2014/TT-TTCP).",
    )
    _body(
        doc,
        "Giấy biên nhận được lập thành 02 bản, người nộp đơn giữ 01 bản, "
        "{{ agency_name }} giữ 01 bản.",
        after=12,
    )
    left, right = _two_columns(doc)
    center = WD_ALIGN_PARAGRAPH.CENTER
    for cell, role, name in (
        (left, "NGƯỜI NỘP ĐƠN", "{{ submitter }}"),
        (right, "NGƯỜI TIẾP NHẬN", "{{ official }}"),
    ):
        _paragraph(cell, role, bold=True, align=center)
        _paragraph(cell, "(Ký, ghi rõ họ tên)", size=13, italic=True, align=center, after=48)
        _paragraph(cell, name, bold=True, align=center)
    return doc


def forwarding() -> Document:
    """Phiếu chuyển đơn (TT 07/2014 Art. 21(2); TT 05/2021): to the competent agency."""
    doc = _new_document()
    _header(doc)
    _title(doc, "PHIẾU CHUYỂN ĐƠN", "Về việc chuyển đơn {{ kind }}")
    _addressee(doc, "Kính gửi: {{ target }}.")
    _body(
        doc,
        "Ngày {{ received_day }}, {{ agency_name }} nhận được đơn {{ kind }} của:",
        after=3,
    )
    _citizens(doc)
    _body(doc, "Nội dung đơn: {{ summary }}")
    _body(
        doc,
        "Sau khi xem xét nội dung đơn, căn cứ {{ legal_ground }}, {{ agency_name }} chuyển "
        "đơn đến {{ target }} để xem xét, giải quyết theo thẩm quyền.",
    )
    _body(
        doc,
        "Đề nghị {{ target }} thông báo kết quả giải quyết cho {{ agency_name }} và người "
        "gửi đơn theo quy định của pháp luật./.",
        after=12,
    )
    _signature(doc)
    return doc


def guidance() -> Document:
    """Phiếu hướng dẫn (TT 07/2014 Art. 8(1), 22–26): the citizen told where to go."""
    doc = _new_document()
    _header(doc)
    _title(doc, "PHIẾU HƯỚNG DẪN", "Về việc gửi đơn đến cơ quan có thẩm quyền giải quyết")
    _addressee(doc, "Kính gửi: {{ recipient }}.")
    _body(doc, "Địa chỉ: {{ recipient_address }}.")
    _body(
        doc,
        "Ngày {{ received_day }}, {{ agency_name }} nhận được đơn {{ kind }} của "
        "{{ addressing }}, nội dung: {{ summary }}",
    )
    _body(
        doc,
        "Căn cứ {{ legal_ground }}, {{ agency_name }} hướng dẫn {{ addressing }} như sau: "
        "{{ reason }}{% if note %}. {{ note }}{% endif %}.",
    )
    _tag(doc, "{%p if target %}")
    _body(
        doc,
        "Đề nghị {{ addressing }} gửi đơn đến {{ target }} để được xem xét, giải quyết theo "
        "quy định của pháp luật./.",
        after=12,
    )
    _tag(doc, "{%p endif %}")
    _signature(doc)
    return doc


def acceptance() -> Document:
    """Thông báo về việc thụ lý giải quyết khiếu nại (Luật Khiếu nại Art. 27, 36)."""
    doc = _new_document()
    _header(doc)
    _title(doc, "THÔNG BÁO", "Về việc thụ lý giải quyết khiếu nại")
    _addressee(doc, "Kính gửi: {{ recipient }}.")
    _body(
        doc,
        "Ngày {{ received_day }}, {{ agency_name }} nhận được đơn khiếu nại của:",
        after=3,
    )
    _citizens(doc)
    _body(doc, "Nội dung khiếu nại: {{ summary }}")
    _tag(doc, "{%p if contested %}")
    _body(doc, "Quyết định, hành vi bị khiếu nại: {{ contested }}.")
    _tag(doc, "{%p endif %}")
    _body(
        doc,
        "Sau khi xem xét nội dung đơn khiếu nại, căn cứ {{ legal_ground }}, đơn khiếu nại "
        "đủ điều kiện thụ lý và thuộc thẩm quyền giải quyết. {{ agency_name }} thông báo "
        "đơn khiếu nại đã được thụ lý để giải quyết kể từ {{ decided_date }}.",
    )
    _tag(doc, "{%p if resolution_due %}")
    _body(
        doc,
        "Thời hạn giải quyết khiếu nại theo {{ resolution_article }}: chậm nhất "
        "{{ resolution_due }}.",
    )
    _tag(doc, "{%p endif %}")
    _body(doc, "{{ agency_name }} thông báo để {{ addressing }} được biết./.", after=12)
    _signature(doc)
    return doc


def non_acceptance() -> Document:
    """Thông báo về việc không thụ lý giải quyết khiếu nại (Luật Khiếu nại Art. 11, 27;
    TT 07/2014 Mẫu 02-XLĐ; TT 05/2021 Mẫu số 02)."""
    doc = _new_document()
    _header(doc)
    _title(doc, "THÔNG BÁO", "Về việc không thụ lý giải quyết khiếu nại")
    _addressee(doc, "Kính gửi: {{ recipient }}.")
    _body(
        doc,
        "Ngày {{ received_day }}, {{ agency_name }} nhận được đơn khiếu nại của:",
        after=3,
    )
    _citizens(doc)
    _body(doc, "Nội dung khiếu nại: {{ summary }}")
    _body(
        doc,
        "Sau khi xem xét nội dung đơn khiếu nại, căn cứ {{ legal_ground }}, đơn khiếu nại "
        "không đủ điều kiện thụ lý giải quyết. Lý do: {{ reason }}"
        "{% if note %}. {{ note }}{% endif %}.",
    )
    _body(
        doc,
        "{{ agency_name }} thông báo để {{ addressing }} được biết./.",
        after=12,
    )
    _signature(doc)
    return doc


TEMPLATES = {
    "receipt": receipt,
    "forwarding": forwarding,
    "guidance": guidance,
    "acceptance": acceptance,
    "non_acceptance": non_acceptance,
}


def build(out_dir: Path = OUT) -> list[Path]:
    """Write every slip template into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in TEMPLATES.items():
        path = out_dir / f"{name}.docx"
        builder().save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    for path in build(target):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
