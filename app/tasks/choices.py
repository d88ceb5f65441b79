"""Closed lists of the task domain with their UI labels (English msgids)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DOC_TYPES = {
    "cong_van": _l("Official letter"),
    "quyet_dinh": _l("Decision"),
    "thong_bao": _l("Notice"),
    "ke_hoach": _l("Plan"),
    "chi_thi": _l("Directive"),
    "khac": _l("Other document"),
}
# R20: documents with a secrecy grade are never entered.
SECRECY_GRADES = {
    "none": _l("Not classified"),
    "mat": _l("Confidential (mật)"),
    "toi_mat": _l("Secret (tối mật)"),
    "tuyet_mat": _l("Top secret (tuyệt mật)"),
}
ROLES = {"lead": _l("Lead agency"), "support": _l("Supporting agency")}
STATUSES = {
    "assigned": _l("Assigned"),
    "received": _l("Received by the agency"),
    "reported": _l("Report awaiting review"),
    "returned": _l("Returned, to report again"),
    "accepted": _l("Completed"),
    "recalled": _l("Recalled"),
}
OPEN_STATUSES = ("assigned", "received", "reported", "returned")
COMPLETION = {"early": _l("Early"), "on_time": _l("On time"), "late": _l("Late")}
VERDICTS = {"accepted": _l("Satisfactory"), "returned": _l("Not yet satisfactory")}
