"""R9: a petition's change history names every processing field in Vietnamese (the
browser scenario of issue 8 found "Eligible" and "Processed At" on a repeat petition)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.audit.display import field_label
from app.petitions.models import Petition


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("eligible", "Đủ điều kiện xử lý"),
        ("competent", "Thuộc thẩm quyền"),
        ("processed_at", "Đã xử lý"),
        ("outcome_note", "Nội dung xử lý"),
        ("target_name", "Cơ quan liên quan"),
        ("outcome_doc_number", "Số văn bản"),
        ("reply_received_on", "Ngày nhận phúc đáp"),
    ],
)
def test_processing_fields_are_labelled_in_vietnamese(app, field, label):
    with app.test_request_context(), force_locale("vi"):
        assert field_label(Petition, field) == label
