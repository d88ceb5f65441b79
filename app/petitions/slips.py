"""Official slips of a petition, rendered from the Word templates in report_templates/slips/.

Each slip kind fits a state of the petition (issue 3, legal-domain.md §2.4, §4.3):

- ``receipt`` — giấy biên nhận: the citizen's receipt for the petition and the papers
  handed in (originals flagged, TT 07/2014 Art. 10), with the processing deadline
  (Luật TCD Art. 28); for a petition a citizen filed (not one forwarded by an agency);
- ``forwarding`` — phiếu chuyển đơn (TT 07/2014 Art. 21(2); TT 05/2021): to the
  competent agency, once the petition is forwarded;
- ``guidance`` — phiếu hướng dẫn (TT 07/2014 Art. 8(1), 22–26): where the citizen should
  send it, once the citizen is guided;
- ``acceptance`` — thông báo thụ lý giải quyết khiếu nại (Luật Khiếu nại Art. 27, 36):
  once the complaint dossier (app.complaints) is accepted, with its notice number, the
  day of acceptance and the resolution deadline;
- ``non_acceptance`` — thông báo không thụ lý (Luật Khiếu nại Art. 11, 27; TT 07/2014
  Mẫu 02-XLĐ): once the dossier is not accepted, on its ground of Art. 11; or, without a
  dossier, when processing found a complaint within competence not eligible (archived or
  guided to supplement it) — on the reason of the managed list.

Slips are generated on demand and never stored: the petition's data decides their content,
and the same petition gives the same document again (its date is the day of the act it
records, not the day it is printed). Each generation is logged in the petition's events.

The document number is the petition's register number, the slip's symbol and the
agency's symbol ("125/PCĐ-TCD"; config ``SLIP_SYMBOLS`` and ``SLIP_AGENCY_SYMBOLS``), or
the notice number recorded on the complaint dossier; the header comes from
app.agencies.letterhead; dates are written as Decree 30/2020 writes them
(app.core.vndate). Template context (every value a plain string unless noted):
superior, agency_line, number, place_date, agency_name, kind, summary, register_code,
received_date, received_day, received_time, due_date, decided_date, resolution_due,
resolution_article, official, submitter, citizens (list: title, name, birth_year,
id_number, address), others (int), recipient, recipient_address, addressing, target,
legal_ground, reason, note, contested, attachments (list: name, original), recipients
(list), signer_lines (list).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from flask import current_app
from flask_babel import lazy_gettext as _l
from jinja2 import Environment
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from app.agencies.letterhead import letterhead
from app.agencies.models import Agency
from app.complaints.models import ComplaintDossier
from app.core.clock import now_utc, to_local
from app.core.vndate import date_in_words, place_and_date
from app.files.models import StoredFile
from app.petitions.addresses import citizen_address
from app.petitions.events import record_event
from app.petitions.legal_refs import legal_citation
from app.petitions.models import Citizen, Petition, PetitionEvent
from app.security.models import AppUser

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "report_templates" / "slips"
SLIP_EVENT = "slip_issued"
# Kind words as a sentence of a slip writes them ("đơn khiếu nại").
_KIND_WORDS = {"complaint": "khiếu nại", "recommendation": "kiến nghị", "reflection": "phản ánh"}
_TITLES = {"male": "Ông", "female": "Bà"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Grounds cited when the managed reason names none.
_DEFAULT_GROUND = "Thông tư số 05/2021/TT-TTCP của Thanh tra Chính phủ"
_NON_ACCEPTANCE_GROUND = "Điều 11 Luật Khiếu nại năm 2011"
# Luật Khiếu nại by instance: acceptance (Art. 27, 36) and resolution time limit (28, 37).
_ACCEPTANCE_ARTICLE = {1: "Điều 27 Luật Khiếu nại năm 2011", 2: "Điều 36 Luật Khiếu nại năm 2011"}
_RESOLUTION_ARTICLE = {1: "Điều 28 Luật Khiếu nại năm 2011", 2: "Điều 37 Luật Khiếu nại năm 2011"}
# Processing outcomes after which a complaint within competence may be found ineligible.
_INELIGIBLE_STATUSES = ("guided", "archived")


class SlipUnavailable(LookupError):
    """The slip kind is unknown or does not fit the petition's state."""


@dataclass(frozen=True)
class SlipKind:
    """A kind of slip: its name, its file name stem and the states it fits."""

    code: str
    label: Any
    # The document's Vietnamese name, as the petition's history records it.
    document_name: str
    slug: str
    fits: Callable[[Petition], bool]


@dataclass(frozen=True)
class Slip:
    """A rendered slip: the .docx bytes with its number, date and download name."""

    kind: SlipKind
    number: str
    issued_on: dt.date
    filename: str
    content: bytes


def complaint_dossier(petition: Petition) -> ComplaintDossier | None:
    """The complaint dossier opened on the petition, the latest instance first."""
    session = object_session(petition)
    if session is None or petition.id is None:
        return None
    return session.scalar(
        select(ComplaintDossier)
        .where(ComplaintDossier.petition_id == petition.id)
        .order_by(ComplaintDossier.instance.desc())
        .limit(1)
    )


def _has_citizen(petition: Petition) -> bool:
    return not petition.anonymous and bool(petition.signatories)


def _fits_receipt(petition: Petition) -> bool:
    return petition.channel != "forwarded" and _has_citizen(petition)


def _fits_forwarding(petition: Petition) -> bool:
    return petition.status == "forwarded" and bool(
        petition.target_agency_id or petition.target_name
    )


def _fits_guidance(petition: Petition) -> bool:
    return petition.status == "guided" and _has_citizen(petition)


def _fits_acceptance(petition: Petition) -> bool:
    if petition.kind != "complaint" or not _has_citizen(petition):
        return False
    dossier = complaint_dossier(petition)
    return dossier is not None and dossier.accepted_on is not None


def _fits_non_acceptance(petition: Petition) -> bool:
    if petition.kind != "complaint" or not _has_citizen(petition):
        return False
    dossier = complaint_dossier(petition)
    if dossier is not None:
        return dossier.not_accepted_on is not None
    return petition.status in _INELIGIBLE_STATUSES and petition.competent is not False


SLIP_KINDS: dict[str, SlipKind] = {
    kind.code: kind
    for kind in (
        SlipKind(
            "receipt",
            _l("Receipt for the citizen"),
            "Giấy biên nhận",
            "giay-bien-nhan",
            _fits_receipt,
        ),
        SlipKind(
            "forwarding",
            _l("Petition forwarding slip"),
            "Phiếu chuyển đơn",
            "phieu-chuyen-don",
            _fits_forwarding,
        ),
        SlipKind(
            "guidance",
            _l("Guidance slip"),
            "Phiếu hướng dẫn",
            "phieu-huong-dan",
            _fits_guidance,
        ),
        SlipKind(
            "acceptance",
            _l("Notice of acceptance of the complaint"),
            "Thông báo thụ lý giải quyết khiếu nại",
            "thong-bao-thu-ly",
            _fits_acceptance,
        ),
        SlipKind(
            "non_acceptance",
            _l("Notice of non-acceptance of the complaint"),
            "Thông báo không thụ lý giải quyết khiếu nại",
            "thong-bao-khong-thu-ly",
            _fits_non_acceptance,
        ),
    )
}


def available_slips(petition: Petition) -> list[SlipKind]:
    """The slips that fit the petition's state now (issue 3: e.g. the forwarding slip only
    for a forwarded petition)."""
    return [kind for kind in SLIP_KINDS.values() if kind.fits(petition)]


@dataclass(frozen=True)
class _Act:
    """What a slip records: the day, the number when already given, the ground."""

    on: dt.date
    number: str | None
    legal_ground: str
    reason: str
    resolution_due: dt.date | None = None
    instance: int = 1


def _processed_on(petition: Petition) -> dt.date:
    return to_local(petition.processed_at or now_utc()).date()


def _outcome_reason(petition: Petition) -> tuple[str, str]:
    """(reason, legal reference as cited) of the processing outcome."""
    reason = petition.outcome_reason
    if reason is None:
        return "", ""
    return reason.name, legal_citation(reason.legal_ref)


def _act(petition: Petition, kind: SlipKind) -> _Act:
    """The act the slip records (see the module docstring for each kind)."""
    if kind.code == "receipt":
        return _Act(to_local(petition.received_at).date(), None, "", "")
    reason, reference = _outcome_reason(petition)
    dossier = complaint_dossier(petition) if petition.kind == "complaint" else None
    if kind.code == "acceptance" and dossier is not None and dossier.accepted_on:
        return _Act(
            dossier.accepted_on,
            dossier.acceptance_notice_number,
            _ACCEPTANCE_ARTICLE.get(dossier.instance, _ACCEPTANCE_ARTICLE[1]),
            "",
            dossier.resolution_due,
            dossier.instance,
        )
    if kind.code == "non_acceptance" and dossier is not None and dossier.not_accepted_on:
        ground = dossier.non_acceptance_ground
        return _Act(
            dossier.not_accepted_on,
            dossier.acceptance_notice_number,
            legal_citation(ground.legal_ref) if ground else _NON_ACCEPTANCE_GROUND,
            ground.name if ground else "",
        )
    if kind.code == "non_acceptance":
        ground = f"{_NON_ACCEPTANCE_GROUND}; {reference}" if reference else _NON_ACCEPTANCE_GROUND
        return _Act(_processed_on(petition), None, ground, reason)
    return _Act(_processed_on(petition), None, reference or _DEFAULT_GROUND, reason)


def _initials(text: str) -> str:
    return "".join(word[0] for word in text.split() if word[:1].isalpha())


def agency_symbol(agency: Agency, header_line: str) -> str:
    """The agency's part of a document number: by agency kind (``SLIP_AGENCY_SYMBOLS``),
    else the initials of its header line ("BAN TIẾP CÔNG DÂN" → "BTCD")."""
    symbols = current_app.config.get("SLIP_AGENCY_SYMBOLS", {})
    return symbols.get(agency.kind.code) or _initials(header_line)


def slip_number(petition: Petition, kind: SlipKind, header_line: str) -> str:
    """ "125/PCĐ-TCD": register number / slip symbol - agency symbol (TT 07/2014 Art. 29);
    numbers below 10 written from "01", as document numbers are (TT 01/2011/TT-BNV)."""
    symbol = current_app.config.get("SLIP_SYMBOLS", {}).get(kind.code, kind.code.upper())
    number = f"{petition.register_number:02d}"
    return f"{number}/{symbol}-{agency_symbol(petition.agency, header_line)}"


def _clean(value: Any) -> Any:
    """Strings without the control characters a Word document cannot hold."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    return value


def _sentence(text: str | None) -> str:
    """The text ending as a sentence does (a full stop added when it has none)."""
    text = (text or "").strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


def _title(citizen: Citizen) -> str:
    return _TITLES.get(citizen.sex or "", "Ông/Bà")


def _citizen(citizen: Citizen) -> dict[str, Any]:
    return {
        "title": _title(citizen),
        "name": citizen.full_name,
        "birth_year": citizen.birth_year or "",
        "id_number": citizen.id_number or "",
        "address": citizen_address(citizen),
    }


def _main_citizen(petition: Petition) -> Citizen | None:
    signatories = sorted(
        petition.signatories, key=lambda s: (not s.is_representative, s.position, s.id)
    )
    return signatories[0].citizen if signatories else None


def _official_name(session: Session, petition: Petition, user: Any) -> str:
    """Who received the petition: the reception visit's official, else the clerk who
    entered it, else the user printing."""
    if petition.visit is not None:
        return petition.visit.official_name
    clerk = session.get(AppUser, petition.created_by_id) if petition.created_by_id else None
    person = clerk or user
    return " ".join(filter(None, [person.first_name, person.last_name]))


def _attachments(session: Session, petition: Petition) -> list[dict[str, Any]]:
    files = session.scalars(
        select(StoredFile)
        .where(StoredFile.owner_table == Petition.__tablename__, StoredFile.owner_id == petition.id)
        .order_by(StoredFile.id)
    )
    return [{"name": file.original_name, "original": file.is_original_document} for file in files]


def _target(petition: Petition) -> str:
    if petition.target_agency is not None:
        return petition.target_agency.name
    return petition.target_name or ""


def _contested(petition: Petition) -> str:
    parts = [petition.contested_act or "", petition.contested_author or ""]
    return " của ".join(part.strip() for part in parts if part and part.strip())


def _recipients(petition: Petition, kind: SlipKind, main: Citizen | None) -> list[str]:
    """Nơi nhận besides the file copy: the addressee, the citizen informed, the author of
    the contested act."""
    if main is None:
        return []
    if kind.code == "forwarding":
        return ["Như trên", f"{_title(main)} {main.full_name} (để biết)"]
    recipients = ["Như trên"]
    if kind.code in ("acceptance", "non_acceptance") and petition.contested_author:
        recipients.append(petition.contested_author)
    return recipients


def _signer_lines(agency: Agency) -> list[str]:
    titles = current_app.config.get("SLIP_SIGNER_TITLES", {})
    return list(titles.get(agency.kind.code) or ["THỦ TRƯỞNG CƠ QUAN"])


def slip_context(session: Session, petition: Petition, kind: SlipKind, user: Any) -> dict:
    """Every value the slip templates use (see the module docstring)."""
    act = _act(petition, kind)
    head = letterhead(petition.agency, act.on)
    received = to_local(petition.received_at)
    main = _main_citizen(petition)
    citizens = [_citizen(s.citizen) for s in petition.signatories]
    return _clean(
        {
            "superior": head.superior or "",
            "agency_line": head.agency,
            "number": act.number or slip_number(petition, kind, head.agency),
            "place_date": place_and_date(head.place, act.on),
            "agency_name": petition.agency.name,
            "kind": _KIND_WORDS.get(petition.kind, petition.kind),
            "summary": _sentence(petition.summary),
            "register_code": petition.register_code,
            "received_date": date_in_words(received.date()),
            "received_day": date_in_words(received.date()).removeprefix("ngày "),
            "received_time": f"{received.hour:02d} giờ {received.minute:02d} phút",
            "due_date": date_in_words(petition.due_date) if petition.due_date else "",
            "decided_date": date_in_words(act.on),
            "resolution_due": date_in_words(act.resolution_due) if act.resolution_due else "",
            "resolution_article": _RESOLUTION_ARTICLE.get(act.instance, ""),
            "official": _official_name(session, petition, user),
            "submitter": main.full_name if main else "",
            "citizens": citizens,
            "others": max(petition.signatory_count - len(citizens), 0),
            "recipient": f"{_title(main)} {main.full_name}" if main else "",
            "recipient_address": citizen_address(main) if main else "",
            "addressing": _title(main).lower() if main else "ông/bà",
            "target": _target(petition),
            "legal_ground": act.legal_ground,
            "reason": act.reason,
            "note": (petition.outcome_note or "").strip().rstrip("."),
            "contested": _contested(petition),
            "attachments": _attachments(session, petition),
            "recipients": _recipients(petition, kind, main),
            "signer_lines": _signer_lines(petition.agency),
        }
    )


def render_slip(session: Session, petition: Petition, code: str, user: Any) -> Slip:
    """Render slip ``code`` of ``petition`` (issue 3); SlipUnavailable when the kind is
    unknown or does not fit the petition's state."""
    kind = SLIP_KINDS.get(code)
    if kind is None or not kind.fits(petition):
        raise SlipUnavailable(code)
    context = slip_context(session, petition, kind, user)
    template = DocxTemplate(TEMPLATE_DIR / f"{kind.code}.docx")
    template.render(context, Environment(autoescape=True), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    filename = f"{kind.slug}-{petition.register_number}-{petition.register_year}.docx"
    return Slip(kind, context["number"], _act(petition, kind).on, filename, buffer.getvalue())


def record_slip_issued(
    session: Session, petition: Petition, slip: Slip, user: Any
) -> PetitionEvent:
    """R9: log in the petition's history that ``user`` generated ``slip``."""
    event = record_event(
        session, petition, user, SLIP_EVENT, note=f"{slip.kind.document_name} số {slip.number}"
    )
    session.flush()
    return event
