"""The pages of the user guide and the section each screen's help link opens (R22, R23).

The guide is Markdown in docs/guide/ (one page per role, Vietnamese, task first); its
pictures are screenshots of the browser tests copied by ``make guide``
(scripts/build_guide.py), so it always shows the current screens. Sections carry fixed
ids (``## Tiếp nhận đơn mới {#tiep-nhan-don-moi}``) that the help links point to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import markdown

GUIDE_DIR = Path(__file__).resolve().parent.parent.parent / "docs" / "guide"
IMAGE_DIR = GUIDE_DIR / "img"
SECTION_ID = re.compile(r"\{#([a-z0-9-]+)\}")
IMAGE_REF = re.compile(r"!\[[^\]]*\]\(img/([A-Za-z0-9_.-]+\.png)\)")


@dataclass(frozen=True)
class GuidePage:
    """One page of the guide: its file name (without .md) and who it is for."""

    slug: str
    audience: str

    @property
    def path(self) -> Path:
        return GUIDE_DIR / f"{self.slug}.md"

    def text(self) -> str:
        """The page's Markdown."""
        return self.path.read_text(encoding="utf-8")

    def title(self) -> str:
        """The page's first heading."""
        first = self.text().splitlines()[0]
        return SECTION_ID.sub("", first.lstrip("# ")).strip()

    def section_ids(self) -> set[str]:
        """The fixed ids of the page's sections."""
        return set(SECTION_ID.findall(self.text()))

    def images(self) -> list[str]:
        """The screenshots the page shows (file names in docs/guide/img)."""
        return IMAGE_REF.findall(self.text())


PAGES: dict[str, GuidePage] = {
    page.slug: page
    for page in (
        GuidePage("tiep-nhan-xu-ly-don", "clerk"),
        GuidePage("giai-quyet-khieu-nai", "clerk"),
        GuidePage("giao-nhiem-vu", "task officer"),
        GuidePage("thuc-hien-nhiem-vu", "receiving agency"),
        GuidePage("theo-doi-tong-hop", "reception board"),
        GuidePage("quan-tri", "administrator"),
    )
}

# The guide section of each screen: the view (endpoint before the dot) → (page, section).
HELP_TOPICS: dict[str, tuple[str, str]] = {
    "PetitionIntakeView": ("tiep-nhan-xu-ly-don", "tiep-nhan-don-moi"),
    "PetitionPageView": ("tiep-nhan-xu-ly-don", "xu-ly-don"),
    "PetitionProcessView": ("tiep-nhan-xu-ly-don", "xu-ly-don"),
    "ProcessingQueueView": ("tiep-nhan-xu-ly-don", "xu-ly-don"),
    "TransferInboxView": ("tiep-nhan-xu-ly-don", "nhan-don-chuyen-den"),
    "PetitionAttachmentView": ("tiep-nhan-xu-ly-don", "phieu-va-tai-lieu"),
    "PetitionSlipView": ("tiep-nhan-xu-ly-don", "phieu-va-tai-lieu"),
    "ReceptionVisitView": ("tiep-nhan-xu-ly-don", "so-tiep-cong-dan"),
    "PetitionListView": ("tiep-nhan-xu-ly-don", "danh-sach-don"),
    "CaseListView": ("tiep-nhan-xu-ly-don", "danh-sach-don"),
    "CitizenListView": ("tiep-nhan-xu-ly-don", "danh-sach-don"),
    "ComplaintDossierListView": ("giai-quyet-khieu-nai", "danh-sach-ho-so"),
    "ComplaintDossierPageView": ("giai-quyet-khieu-nai", "ho-so"),
    "ComplaintDossierActionView": ("giai-quyet-khieu-nai", "ho-so"),
    "ComplaintGroundModelView": ("quan-tri", "danh-muc"),
    "AssignmentDocumentView": ("giao-nhiem-vu", "nhap-van-ban-giao"),
    "AssignedTasksView": ("giao-nhiem-vu", "theo-doi-nhiem-vu-da-giao"),
    "ReviewQueueView": ("giao-nhiem-vu", "xem-xet-bao-cao"),
    "OverdueTasksView": ("giao-nhiem-vu", "theo-doi-nhiem-vu-da-giao"),
    "AgencyTasksView": ("thuc-hien-nhiem-vu", "nhiem-vu-cua-co-quan"),
    "TaskView": ("thuc-hien-nhiem-vu", "bao-cao-ket-qua"),
    "SummaryView": ("theo-doi-tong-hop", "tong-hop-bao-cao"),
    "DashboardView": ("theo-doi-tong-hop", "bang-dieu-khien"),
    "RankingView": ("theo-doi-tong-hop", "xep-hang"),
    "ReportFormsView": ("theo-doi-tong-hop", "bieu-mau"),
    "AgencyTreeView": ("quan-tri", "co-quan"),
    "AgencyModelView": ("quan-tri", "co-quan"),
    "ScopedUserDBModelView": ("quan-tri", "tai-khoan"),
    "LabelledRoleModelView": ("quan-tri", "tai-khoan"),
    "AuditLogModelView": ("quan-tri", "nhat-ky"),
    "CalendarOverrideModelView": ("quan-tri", "lich-lam-viec"),
    "HolidayListView": ("quan-tri", "lich-lam-viec"),
    "TimeLimitRuleModelView": ("quan-tri", "lich-lam-viec"),
    "JobsView": ("quan-tri", "tac-vu-dinh-ky"),
    "HomeView": ("tiep-nhan-xu-ly-don", "trang-chu"),
}


def help_topic(endpoint: str | None) -> tuple[str, str] | None:
    """The (page, section) of the guide for the screen serving ``endpoint``, if any."""
    if not endpoint:
        return None
    return HELP_TOPICS.get(endpoint.split(".", 1)[0])


def page_html(page: GuidePage) -> str:
    """The page's Markdown as HTML (tables, fixed section ids); the guide is our own
    text, never a user's."""
    return markdown.markdown(page.text(), extensions=["tables", "attr_list"], output_format="html")
