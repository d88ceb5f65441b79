"""Synthetic oversight data for demos, tests and benchmarks (R8, R21, R24).

``generate_oversight(session, tasks=N, seed=…)`` completes a database holding the demo
province and petitions (``flask demo generate --petitions N``, app.demo.generate) with
what the report forms count besides petitions:

* on the petitions: the resolution status of the matter on arrival (every kind the forms
  split) and the replies received for forwarded petitions;
* reception visits (regular, the head's periodic and ad hoc, in person or delegated,
  groups of many people, first or repeat visits) for a share of the petitions, each linked
  to its petition and case;
* complaint dossiers for the complaints accepted for resolution (first instance, and a
  second instance for some), their decisions or withdrawals with money, land and persons,
  and the enforcement of the decisions;
* assignment documents of the province's and the districts' People's Committees, their
  tasks to subordinate agencies (open, completed early / on time / late, recalled) and
  the report rounds (returned, accepted) with entry and review timeliness.

Rows are computed with numpy over whole sets and inserted with Core bulk inserts (explicit
ids, no ORM listeners, no audit entries). The same seed on the same data gives the same
rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Date, Table, case, func, insert, select, text, update
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.complaints.models import ComplaintDossier, Enforcement, ResolutionDecision
from app.core.clock import now_utc
from app.core.types import UTCDateTime
from app.petitions.models import Petition, ReceptionVisit
from app.tasks.models import AssignmentDocument, Task, TaskReport

VN_OFFSET = pd.Timedelta(hours=7)
BATCH = 20000
START = pd.Timestamp("2024-01-01")
PRIOR_BY_REMAINDER = (
    ["none"] * 10 + ["in_progress"] * 2 + ["first"] * 4 + ["second"] * 2 + ["many", "court"]
)
TASKS_PER_DOCUMENT = 3


def _frame(session: Session, query: Any) -> pd.DataFrame:
    result = session.execute(query)
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def _next_id(session: Session, model: type) -> int:
    return int(session.scalar(select(func.coalesce(func.max(model.id), 0)))) + 1


def _cell(value: Any, column_type: Any) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(column_type, UTCDateTime):
        return pd.Timestamp(value).to_pydatetime().replace(tzinfo=dt.UTC)
    if isinstance(column_type, Date):
        return pd.Timestamp(value).date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _insert(session: Session, table: Table, frame: pd.DataFrame) -> None:
    """Bulk insert ``frame`` (timestamps naive UTC, dates as local midnights) into
    ``table``, with the audit columns every model has."""
    if frame.empty:
        return
    now = now_utc()
    defaults = {"created_at": now, "updated_at": now, "version_id": 1}
    columns = [column for column in table.c if column.name in frame or column.name in defaults]
    data = {
        column.name: [_cell(v, column.type) for v in frame[column.name]]
        if column.name in frame
        else [defaults[column.name]] * len(frame)
        for column in columns
    }
    records = [dict(zip(data, values, strict=True)) for values in zip(*data.values(), strict=True)]
    for start in range(0, len(records), BATCH):
        session.execute(insert(table), records[start : start + BATCH])


def _reset_sequences(session: Session, models: tuple[type, ...]) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        name = model.__tablename__
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {name}), false)"
            )
        )


def enrich_petitions(session: Session) -> None:
    """The matter's resolution status on arrival and the replies to forwarded petitions,
    set in two UPDATE statements (deterministic by petition id)."""
    petition = Petition.__table__
    remainder = petition.c.id % len(PRIOR_BY_REMAINDER)
    whens = {index: value for index, value in enumerate(PRIOR_BY_REMAINDER)}
    # Core statements on the connection: synthetic rows are not audited (module docstring).
    connection = session.connection()
    connection.execute(
        update(petition)
        .where(petition.c.prior_resolution == "none")
        .values(prior_resolution=case(whens, value=remainder, else_="none"))
    )
    days = "(petition.id % 20 + 5)"
    if session.get_bind().dialect.name == "postgresql":
        reply = f"CAST(processed_at + {days} * INTERVAL '1 day' AS DATE)"
    else:
        reply = f"date(processed_at, '+' || {days} || ' days')"
    connection.execute(
        text(
            f"UPDATE petition SET reply_received_on = {reply} "
            "WHERE status = 'forwarded' AND processed_at IS NOT NULL AND id % 3 = 0"
        )
    )


def generate_visits(session: Session, rng: np.random.Generator, share: float) -> int:
    """Reception visits for ``share`` of the petitions received in person or by post,
    linked to the petition (``visit_id``) and its case."""
    petitions = _frame(
        session,
        select(
            Petition.id,
            Petition.agency_id,
            Petition.case_id,
            Petition.received_at,
            Petition.is_repeat,
            Petition.signatory_count,
        ).where(Petition.visit_id.is_(None), Petition.deleted_at.is_(None)),
    )
    petitions = petitions[rng.random(len(petitions)) < share].reset_index(drop=True)
    n = len(petitions)
    if n == 0:
        return 0
    first_id = _next_id(session, ReceptionVisit)
    kind = rng.choice(["regular", "leader_periodic", "leader_adhoc"], n, p=[0.8, 0.12, 0.08])
    leader = kind != "regular"
    in_person = leader & (rng.random(n) < 0.7)
    delegation = (petitions.signatory_count >= 5).to_numpy() & (rng.random(n) < 0.6)
    people = np.where(delegation, rng.integers(5, 31, n), rng.integers(1, 3, n))
    no_case = rng.random(n) < 0.03
    visits = pd.DataFrame(
        {
            "id": np.arange(first_id, first_id + n),
            "agency_id": petitions.agency_id,
            "received_at": pd.to_datetime(petitions.received_at, utc=True).dt.tz_convert(None),
            "official_name": "Cán bộ tiếp công dân",
            "reception_type": kind,
            "leader_in_person": in_person,
            "delegated": leader & ~in_person,
            "channel": "in_person",
            "people_count": people,
            "is_delegation": delegation,
            "matter_summary": "Công dân trình bày nội dung đơn",
            "outcome": "petition_received",
            "case_id": petitions.case_id.where(~no_case, None),
            "first_time": ~petitions.is_repeat.astype(bool).to_numpy(),
        }
    )
    _insert(session, ReceptionVisit.__table__, visits)
    links = [
        {"pid": int(pid), "vid": int(vid)} for pid, vid in zip(petitions.id, visits.id, strict=True)
    ]
    for start in range(0, len(links), BATCH):
        session.execute(
            text("UPDATE petition SET visit_id = :vid WHERE id = :pid"),
            links[start : start + BATCH],
        )
    return n


def _local_day(values: pd.Series) -> pd.Series:
    return (pd.to_datetime(values, utc=True).dt.tz_convert(None) + VN_OFFSET).dt.normalize()


def generate_dossiers(session: Session, rng: np.random.Generator, today: pd.Timestamp) -> int:
    """A first-instance dossier for every case whose complaint was accepted (the first
    accepted petition), a decision or withdrawal for the closed ones, a second instance for
    some, and the enforcement of the decisions."""
    accepted = _frame(
        session,
        select(
            Petition.id,
            Petition.agency_id,
            Petition.case_id,
            Petition.received_at,
            Petition.processed_at,
        )
        .where(
            Petition.kind == "complaint",
            Petition.status == "accepted",
            Petition.deleted_at.is_(None),
            ~Petition.case_id.in_(select(ComplaintDossier.case_id)),
        )
        .order_by(Petition.id),
    ).drop_duplicates("case_id")
    if accepted.empty:
        return 0
    receivers = [
        int(agency_id)
        for agency_id in session.scalars(
            select(Agency.id).where(Agency.receives_petitions.is_(True), Agency.depth <= 2)
        )
    ]
    first = _dossier_frame(session, rng, accepted, today, instance=1)
    decisions = _decision_frame(session, rng, first, today)
    appeal = decisions[
        (decisions["mode"] == "decision")
        & decisions["result"].isin(["wrong", "partly_right"])
        & (rng.random(len(decisions)) < 0.3)
    ]
    base = first.set_index("id").loc[appeal.dossier_id]
    second_source = pd.DataFrame(
        {
            "id": base.petition_id.to_numpy(),
            "agency_id": rng.choice(receivers, len(base)),
            "case_id": base.case_id.to_numpy(),
            "received_at": (appeal.decided_on + pd.Timedelta(days=20)).to_numpy(),
            "processed_at": (appeal.decided_on + pd.Timedelta(days=25)).to_numpy(),
            "reviewed": appeal.id.to_numpy(),
        }
    )
    second_source = second_source[second_source.processed_at <= today]
    second = _dossier_frame(
        session, rng, second_source, today, instance=2, first_id=int(first.id.max()) + 1
    )
    second_decisions = _decision_frame(
        session,
        rng,
        second,
        today,
        first_id=int(decisions.id.max()) + 1 if len(decisions) else None,
    )
    _insert(session, ComplaintDossier.__table__, first)
    _insert(session, ResolutionDecision.__table__, decisions)
    _insert(session, ComplaintDossier.__table__, second)
    _insert(session, ResolutionDecision.__table__, second_decisions)
    all_decisions = pd.concat([decisions, second_decisions], ignore_index=True)
    _insert(session, Enforcement.__table__, _enforcement_frame(session, rng, all_decisions, today))
    return len(first) + len(second)


def _dossier_frame(
    session: Session,
    rng: np.random.Generator,
    source: pd.DataFrame,
    today: pd.Timestamp,
    instance: int,
    first_id: int | None = None,
) -> pd.DataFrame:
    n = len(source)
    first_id = first_id or _next_id(session, ComplaintDossier)
    received = (
        _local_day(source.received_at) if instance == 1 else pd.to_datetime(source.received_at)
    )
    accepted = (
        _local_day(source.processed_at) if instance == 1 else pd.to_datetime(source.processed_at)
    )
    due = accepted + pd.Timedelta(days=30 if instance == 1 else 45)
    decided = accepted + pd.to_timedelta(rng.integers(10, 61, n), unit="D")
    closed = decided <= today
    frame = pd.DataFrame(
        {
            "id": np.arange(first_id, first_id + n),
            "agency_id": source.agency_id.to_numpy(),
            "case_id": source.case_id.to_numpy(),
            "petition_id": source.id.to_numpy(),
            "instance": instance,
            "received_on": received,
            "acceptance_due": received + pd.Timedelta(days=14),
            "accepted_on": accepted,
            "complex_case": False,
            "remote_area": False,
            "resolution_due": due,
            "status": np.where(closed, "resolved", "accepted"),
            "closed_on": decided.where(closed),
            "decided_on": decided.where(closed),
        }
    )
    if "reviewed" in source:
        frame["reviewed_decision_id"] = source.reviewed.to_numpy()
    return frame


def _decision_frame(
    session: Session,
    rng: np.random.Generator,
    dossiers: pd.DataFrame,
    today: pd.Timestamp,
    first_id: int | None = None,
) -> pd.DataFrame:
    closed = dossiers[dossiers.decided_on.notna()].reset_index(drop=True)
    n = len(closed)
    first_id = first_id or _next_id(session, ResolutionDecision)
    withdrawn = rng.random(n) < 0.1
    instance = closed.instance.to_numpy()
    first_results = rng.choice(["right", "wrong", "partly_right"], n, p=[0.2, 0.6, 0.2])
    second_results = rng.choice(["upheld", "cancelled_amended"], n, p=[0.7, 0.3])
    result = np.where(instance == 1, first_results, second_results)
    gains = ~withdrawn & np.isin(result, ["right", "partly_right", "cancelled_amended"])

    def amount(scale: float, decimals: int) -> np.ndarray:
        return np.where(gains, np.round(rng.random(n) * scale, decimals), 0.0)

    def count(high: int) -> np.ndarray:
        return np.where(gains, rng.integers(0, high, n), 0)

    due = pd.to_datetime(closed.resolution_due)
    in_time = (closed.decided_on <= due).to_numpy()
    frame = pd.DataFrame(
        {
            "id": np.arange(first_id, first_id + n),
            "dossier_id": closed.id.to_numpy(),
            "decided_on": closed.decided_on.to_numpy(),
            "mode": np.where(withdrawn, "withdrawn", "decision"),
            "result": np.where(withdrawn, None, result),
            "money_to_state": amount(500, 3),
            "land_to_state": amount(2000, 2),
            "money_to_organisations": amount(300, 3),
            "land_to_organisations": amount(800, 2),
            "money_to_individuals": amount(200, 3),
            "land_to_individuals": amount(500, 2),
            "organisations_restored": count(2),
            "individuals_restored": count(6),
            "persons_for_sanction": count(3),
            "officials_for_sanction": count(2),
            "cases_to_investigators": count(2),
            "persons_to_investigators": count(2),
            "officials_to_investigators": count(2),
            "in_time": in_time,
        }
    )
    return frame


def _enforcement_frame(
    session: Session, rng: np.random.Generator, decisions: pd.DataFrame, today: pd.Timestamp
) -> pd.DataFrame:
    enforced = decisions[decisions["mode"] == "decision"].reset_index(drop=True)
    n = len(enforced)
    first_id = _next_id(session, Enforcement)
    done_on = enforced.decided_on + pd.to_timedelta(rng.integers(5, 120, n), unit="D")
    done = (done_on <= today).to_numpy() & (rng.random(n) < 0.8)
    share = np.where(done, 1.0, np.round(rng.random(n), 2))

    def pair(to_do: str, column: str, decimals: int) -> dict[str, np.ndarray]:
        base = enforced[column].to_numpy(dtype=float)
        return {to_do: base, to_do.replace("to_", "", 1): np.round(base * share, decimals)}

    frame = pd.DataFrame(
        {
            "id": np.arange(first_id, first_id + n),
            "decision_id": enforced.id.to_numpy(),
            "done": done,
            "done_on": done_on.where(done),
            "money_to_recover": enforced.money_to_state.to_numpy(dtype=float),
            "money_recovered": np.round(enforced.money_to_state.to_numpy(dtype=float) * share, 3),
            "land_to_recover": enforced.land_to_state.to_numpy(dtype=float),
            "land_recovered": np.round(enforced.land_to_state.to_numpy(dtype=float) * share, 2),
            "money_to_return_organisations": enforced.money_to_organisations.to_numpy(dtype=float),
            "money_returned_organisations": np.round(
                enforced.money_to_organisations.to_numpy(dtype=float) * share, 3
            ),
            "land_to_return_organisations": enforced.land_to_organisations.to_numpy(dtype=float),
            "land_returned_organisations": np.round(
                enforced.land_to_organisations.to_numpy(dtype=float) * share, 2
            ),
            "money_to_return_individuals": enforced.money_to_individuals.to_numpy(dtype=float),
            "money_returned_individuals": np.round(
                enforced.money_to_individuals.to_numpy(dtype=float) * share, 3
            ),
            "land_to_return_individuals": enforced.land_to_individuals.to_numpy(dtype=float),
            "land_returned_individuals": np.round(
                enforced.land_to_individuals.to_numpy(dtype=float) * share, 2
            ),
            "persons_sanctioned": np.where(done, enforced.persons_for_sanction, 0),
            "officials_sanctioned": np.where(done, enforced.officials_for_sanction, 0),
            "cases_prosecuted": np.where(done, enforced.cases_to_investigators, 0),
            "persons_prosecuted": np.where(done, enforced.persons_to_investigators, 0),
            "officials_prosecuted": np.where(done, enforced.officials_to_investigators, 0),
        }
    )
    return frame


def _assigners(session: Session) -> list[tuple[int, int, list[int]]]:
    """(assigning agency, its office, its subordinates receiving tasks) of the tree."""
    agencies = _frame(
        session,
        select(
            Agency.id,
            Agency.path,
            Agency.assigns_tasks,
            Agency.operating_office_id,
        ).where(Agency.active.is_(True)),
    )
    result = []
    for row in agencies[agencies.assigns_tasks & agencies.operating_office_id.notna()].itertuples():
        below = agencies[
            agencies.path.str.startswith(row.path)
            & (agencies.id != row.id)
            & (agencies.id != row.operating_office_id)
            & ~agencies.assigns_tasks
        ]
        if len(below) >= TASKS_PER_DOCUMENT:
            result.append(
                (int(row.id), int(row.operating_office_id), below.id.astype(int).tolist())
            )
    return result


def generate_tasks(
    session: Session, rng: np.random.Generator, n_tasks: int, today: pd.Timestamp
) -> int:
    """Assignment documents (3 tasks each) of the assigning agencies, their tasks and the
    report rounds, issued from 2024 to ``today``."""
    assigners = _assigners(session)
    n_docs = max(1, n_tasks // TASKS_PER_DOCUMENT)
    first_doc = _next_id(session, AssignmentDocument)
    which = rng.integers(0, len(assigners), n_docs)
    span = max(1, (today - START).days)
    issued = pd.Series(START + pd.to_timedelta(rng.integers(0, span * 24 * 60, n_docs), unit="min"))
    deadline = (issued + VN_OFFSET).dt.normalize() + pd.to_timedelta(
        rng.integers(7, 61, n_docs), unit="D"
    )
    documents = pd.DataFrame(
        {
            "id": np.arange(first_doc, first_doc + n_docs),
            "assigning_agency_id": [assigners[i][0] for i in which],
            "office_agency_id": [assigners[i][1] for i in which],
            "doc_type": "cong_van",
            "number": [str(i % 9000 + 1) for i in range(n_docs)],
            "symbol": "UBND-HC",
            "summary": "Giao nhiệm vụ giải quyết, báo cáo kết quả",
            "issued_at": issued,
            "director_name": "Lãnh đạo Ủy ban nhân dân",
            "signer_name": "Lãnh đạo Ủy ban nhân dân",
            "drafter_name": "Chuyên viên văn phòng",
            "secrecy_grade": "none",
            "default_deadline": deadline,
            "entered_at": issued + pd.Timedelta(hours=2),
            "entry_timeliness": np.where(rng.random(n_docs) < 0.85, "on_time", "late"),
            "status": "active",
        }
    )
    receivers = [rng.choice(assigners[i][2], TASKS_PER_DOCUMENT, replace=False) for i in which]
    tasks = pd.DataFrame(
        {
            "document_id": np.repeat(documents.id.to_numpy(), TASKS_PER_DOCUMENT),
            "receiving_agency_id": np.concatenate(receivers),
            "issued": np.repeat(issued.to_numpy(), TASKS_PER_DOCUMENT),
            "deadline": np.repeat(deadline.to_numpy(), TASKS_PER_DOCUMENT),
        }
    )
    m = len(tasks)
    first_task = _next_id(session, Task)
    tasks["id"] = np.arange(first_task, first_task + m)
    returns = rng.choice([0, 1, 2], m, p=[0.8, 0.15, 0.05])
    # The accepted report's sending time: before, on or after the deadline day.
    offset_days = rng.integers(-20, 15, m)
    sent = tasks.deadline + pd.to_timedelta(offset_days, unit="D") + pd.Timedelta(hours=2)
    sent = sent.where(sent > tasks.issued, tasks.issued + pd.Timedelta(hours=3))
    completed = ((sent + pd.Timedelta(days=1)) <= today).to_numpy() & (rng.random(m) < 0.85)
    recalled = ~completed & (rng.random(m) < 0.03)
    sent_day = (sent + VN_OFFSET).dt.normalize()
    completion = np.select(
        [sent_day < tasks.deadline, sent_day == tasks.deadline], ["early", "on_time"], "late"
    )
    open_status = rng.choice(["assigned", "received", "reported", "returned"], m)
    status = np.where(completed, "accepted", np.where(recalled, "recalled", open_status))
    returns = np.where(
        status == "assigned", 0, np.where(status == "returned", np.maximum(returns, 1), returns)
    )
    tasks = tasks.assign(
        role="lead",
        original_deadline=tasks.deadline,
        status=status,
        completion=np.where(completed, completion, None),
        completed_at=sent.where(completed),
        returns_count=returns,
        overdue=~completed & ~recalled & (tasks.deadline < today).to_numpy(),
    )
    reports = _report_frame(session, rng, tasks, sent)
    _insert(session, AssignmentDocument.__table__, documents)
    _insert(session, Task.__table__, tasks)
    _insert(session, TaskReport.__table__, reports)
    return m


def _report_frame(
    session: Session, rng: np.random.Generator, tasks: pd.DataFrame, sent: pd.Series
) -> pd.DataFrame:
    """Rounds: ``returns_count`` returned reports, then the accepted one (completed tasks)
    or the one awaiting review (status reported)."""
    rounds = tasks.returns_count.to_numpy() + np.isin(tasks.status, ["accepted", "reported"])
    index = np.repeat(np.arange(len(tasks)), rounds)
    number = np.concatenate([np.arange(1, r + 1) for r in rounds]) if len(index) else np.array([])
    total = rounds[index]
    last = number == total
    task = tasks.iloc[index].reset_index(drop=True)
    final_sent = sent.iloc[index].reset_index(drop=True)
    gap = pd.to_timedelta((total - number) * 3, unit="D")
    sent_at = final_sent - gap
    sent_at = sent_at.where(sent_at > task.issued, task.issued + pd.Timedelta(hours=1))
    verdict = np.where(
        last & (task.status == "accepted"), "accepted", np.where(last, None, "returned")
    )
    verdict = np.where(last & (task.status == "reported"), None, verdict)
    reviewed = sent_at + pd.to_timedelta(rng.integers(1, 60, len(task)), unit="h")
    n = len(task)
    first_id = _next_id(session, TaskReport)
    return pd.DataFrame(
        {
            "id": np.arange(first_id, first_id + n),
            "task_id": task.id.to_numpy(),
            "round": number.astype(int),
            "doc_name": "Báo cáo kết quả thực hiện nhiệm vụ",
            "doc_number": [str(i % 9000 + 1) for i in range(n)],
            "doc_symbol": "BC",
            "doc_summary": "Báo cáo kết quả",
            "doc_date": (sent_at + VN_OFFSET).dt.normalize(),
            "doc_signer": "Thủ trưởng cơ quan",
            "sent_at": sent_at,
            "entry_timeliness": np.where(rng.random(n) < 0.85, "on_time", "late"),
            "verdict": verdict,
            "reviewed_at": reviewed.where(~pd.isna(verdict)),
            "review_timeliness": np.where(
                pd.isna(verdict), None, np.where(rng.random(n) < 0.8, "on_time", "late")
            ),
        }
    )


def generate_oversight(
    session: Session,
    *,
    tasks: int,
    seed: int = 1122,
    visit_share: float = 0.2,
    today: dt.date | None = None,
) -> dict[str, int]:
    """R8, R21: add visits, dossiers, decisions, enforcement, documents, tasks and reports
    to a database holding the demo province and petitions; return counts added."""
    rng = np.random.default_rng(seed)
    day = pd.Timestamp(today or now_utc().date())
    enrich_petitions(session)
    made = {
        "visits": generate_visits(session, rng, visit_share),
        "dossiers": generate_dossiers(session, rng, day),
        "tasks": generate_tasks(session, rng, tasks, day) if tasks else 0,
    }
    _reset_sequences(
        session,
        (
            ReceptionVisit,
            ComplaintDossier,
            ResolutionDecision,
            Enforcement,
            AssignmentDocument,
            Task,
            TaskReport,
        ),
    )
    session.commit()
    return made
