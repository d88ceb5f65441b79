"""Matching quality of the duplicate lookup (issue 3, R6, R12): recall of true duplicates
in the top 5 and precision at the default threshold, on a labelled evaluation set.

    .venv/bin/python bench/lookup_quality.py [--petitions 50000] [--per-class 60]

The database (``DATABASE_URL``, default ``sqlite:///instance/bench-quality.db``) gets the
demo province and ``--petitions`` synthetic petitions (app.demo.generate) the first time.
Queries are built from petitions on file, typed the ways clerks type (bench/variants.py):
decomposed Unicode, capitals or no diacritics, abbreviated addresses, numbers in words,
given name first, missing middle names, typos, ID number or phone given, repeat
submissions; then the same person with another matter (the other case must rank below),
namesakes of common names with a new matter and new citizens (nothing may pass the
threshold). A query's truth is the case of the petition it came from (none for the last
two classes). Targets: recall@5 ≥ 0.95, precision ≥ 0.90.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.demo import synthetic
from app.extensions import db
from app.geography.models import AdminUnit
from app.petitions.lookup import DEFAULT_THRESHOLD, LookupQuery, lookup
from app.petitions.models import Case as CaseModel
from app.petitions.models import Citizen, Petition, PetitionSignatory
from bench import variants
from bench.database import bench_app, ensure_base_data, ensure_petitions, sqlite_url

DEFAULT_DATABASE = sqlite_url("bench-quality.db")
RECALL_TARGET = 0.95
PRECISION_TARGET = 0.90


@dataclass(frozen=True)
class Case:
    """One labelled query: its class, what was typed, the true case (None: no duplicate)
    and, for the same person's other matter, that other case."""

    kind: str
    query: object
    truth: int | None
    other: int | None = None


@dataclass
class Filed:
    """What the bench reads of a petition on file and its main signatory."""

    petition_id: int
    case_id: int
    summary: str
    full_name: str
    id_number: str | None
    phone: str | None
    hamlet: str
    commune_id: int
    commune: str
    district: str


def _load(session, petition_ids: list[int]) -> list[Filed]:
    district = aliased(AdminUnit)
    rows = session.execute(
        select(
            Petition.id,
            Petition.case_id,
            Petition.summary,
            Citizen.full_name,
            Citizen.id_number,
            Citizen.phone,
            Citizen.address_detail,
            Citizen.commune_unit_id,
            AdminUnit.name,
            district.name,
        )
        .join(PetitionSignatory, PetitionSignatory.petition_id == Petition.id)
        .join(Citizen, Citizen.id == PetitionSignatory.citizen_id)
        .join(AdminUnit, AdminUnit.id == Citizen.commune_unit_id)
        .join(district, district.id == AdminUnit.parent_id)
        .where(Petition.id.in_(petition_ids), PetitionSignatory.position == 0)
    )
    return [Filed(*row) for row in rows]


def _sample(session, rng: random.Random, count: int, where=None) -> list[Filed]:
    """``count`` petitions on file picked at random ids (no scan of the table)."""
    low, high = session.execute(select(func.min(Petition.id), func.max(Petition.id))).one()
    found: dict[int, Filed] = {}
    attempts = 0
    while len(found) < count and attempts < 200:
        attempts += 1
        ids = [rng.randint(low, high) for _ in range(count * 3)]
        query_ids = ids
        if where is not None:
            query_ids = list(
                session.scalars(select(Petition.id).where(Petition.id.in_(ids), where))
            )
        for filed in _load(session, query_ids):
            if len(found) < count:
                found.setdefault(filed.petition_id, filed)
    return list(found.values())


def _typed_address(filed: Filed) -> str:
    return f"{filed.hamlet}, {filed.commune}, {filed.district}"


def _query(filed: Filed, rng: random.Random, name=None, address=None, matter=None, **extra):
    """A lookup query from a petition on file: the commune picked or typed in full."""
    picked = rng.random() < 0.5 and address is None
    return LookupQuery(
        full_name=name if name is not None else filed.full_name,
        address=address
        if address is not None
        else (filed.hamlet if picked else _typed_address(filed)),
        commune_unit_id=filed.commune_id if picked else None,
        matter=matter if matter is not None else variants.retold_matter(rng, filed.summary),
        **extra,
    )


def _spaced(number: str) -> str:
    return " ".join(number[i : i + 3] for i in range(0, len(number), 3))


NameMaker = Callable[[Filed, random.Random], object]


def build_cases(session, rng: random.Random, per_class: int) -> list[Case]:
    """The labelled evaluation set: ``per_class`` queries of each variant class."""

    makers: dict[str, NameMaker] = {
        "exact": lambda f, r: _query(f, r),
        "nfd": lambda f, r: _query(
            f,
            r,
            name=variants.nfd(f.full_name),
            address=variants.nfd(_typed_address(f)),
            matter=variants.nfd(variants.retold_matter(r, f.summary)),
        ),
        "no_diacritics": lambda f, r: _query(
            f,
            r,
            name=variants.shouted(f.full_name),
            address=variants.without_diacritics(_typed_address(f)).lower(),
            matter=variants.retold_matter(r, f.summary, plain=True),
        ),
        "abbreviations": lambda f, r: _query(f, r, address=variants.abbreviated(_typed_address(f))),
        "number_words": lambda f, r: _query(
            f, r, address=variants.numbers_in_words(_typed_address(f))
        ),
        "name_order": lambda f, r: _query(
            f, r, name=variants.without_diacritics(variants.given_name_first(f.full_name))
        ),
        "missing_middle": lambda f, r: _query(
            f, r, name=variants.without_middle_names(f.full_name)
        ),
        "typo": lambda f, r: _query(f, r, name=variants.with_typo(r, f.full_name)),
        "id_or_phone": lambda f, r: _query(
            f,
            r,
            name=variants.with_typo(r, f.full_name),
            id_number=_spaced(f.id_number) if f.id_number else "",
            phone="" if f.id_number else "+84 " + (f.phone or "")[1:],
        ),
    }
    cases: list[Case] = []
    numbered = Citizen.address_detail.like("%Ấp _") | Citizen.address_detail.like("%Khóm _")
    for kind, maker in makers.items():
        where = None
        if kind == "number_words":
            where = Petition.id.in_(
                select(PetitionSignatory.petition_id)
                .join(Citizen, Citizen.id == PetitionSignatory.citizen_id)
                .where(numbered)
            )
        for filed in _sample(session, rng, per_class * 2, where):
            if kind == "missing_middle" and len(filed.full_name.split()) < 3:
                continue
            if kind == "id_or_phone" and not (filed.id_number or filed.phone):
                continue
            if kind == "number_words" and variants.numbers_in_words(filed.hamlet) == filed.hamlet:
                continue
            cases.append(Case(kind, maker(filed, rng), filed.case_id))
            if sum(c.kind == kind for c in cases) == per_class:
                break
    for filed in _sample(session, rng, per_class, Petition.is_repeat.is_(True)):
        cases.append(Case("repeat_submission", _query(filed, rng), filed.case_id))
    cases += _same_person_cases(session, rng, per_class)
    cases += _namesake_cases(session, rng, per_class)
    for _ in range(per_class):
        filed = _sample(session, rng, 1)[0]
        person = synthetic.person(rng, False, set())
        matter = synthetic.matter(rng, "complaint", filed.commune, 2026).summary
        query = _query(
            filed,
            rng,
            name=person.full_name,
            address=f"{person.hamlet}, {filed.commune}, {filed.district}",
            matter=variants.retold_matter(rng, matter),
        )
        cases.append(Case("new_citizen", query, None))
    return cases


def _same_person_cases(session, rng: random.Random, count: int) -> list[Case]:
    """A person with two cases asks about one: it must rank above the other."""
    pairs = session.execute(
        select(CaseModel.main_citizen_id, func.min(CaseModel.id), func.max(CaseModel.id))
        .group_by(CaseModel.main_citizen_id)
        .having(func.count(CaseModel.id) > 1)
        .limit(count * 20)
    ).all()
    rng.shuffle(pairs)
    result = []
    for _citizen, first, second in pairs[:count]:
        asked, other = (first, second) if rng.random() < 0.5 else (second, first)
        petition_id = session.scalar(select(func.min(Petition.id)).where(Petition.case_id == asked))
        filed = _load(session, [petition_id])[0]
        result.append(Case("same_person_other_matter", _query(filed, rng), asked, other))
    return result


def _namesake_cases(session, rng: random.Random, count: int) -> list[Case]:
    """A new citizen whose common name others on file bear, in one of their communes
    (half the time) or elsewhere, with a new matter: no duplicate exists."""
    common = session.execute(
        select(Citizen.name_folded, func.min(Citizen.id))
        .group_by(Citizen.name_folded)
        .having(func.count(Citizen.id) >= 4)
        .limit(400)
    ).all()
    result = []
    for _folded, citizen_id in rng.sample(common, min(count, len(common))):
        petition_id = session.scalar(
            select(func.min(PetitionSignatory.petition_id)).where(
                PetitionSignatory.citizen_id == citizen_id
            )
        )
        if petition_id is None:
            continue
        filed = _load(session, [petition_id])[0]
        if rng.random() < 0.5:
            filed = _sample(session, rng, 1, Petition.id != petition_id)[0]
        person = synthetic.person(rng, False, set())
        matter = synthetic.matter(
            rng, rng.choice(("complaint", "recommendation")), filed.commune, 2026
        )
        query = _query(
            filed,
            rng,
            name=session.scalar(select(Citizen.full_name).where(Citizen.id == citizen_id)),
            address=f"{person.hamlet}, {filed.commune}, {filed.district}",
            matter=variants.retold_matter(rng, matter.summary),
        )
        result.append(Case("common_name_namesake", query, None))
    return result


def evaluate(session, user, cases: list[Case]) -> dict:
    """Run every query; count hits in the top 5, matches over the threshold, timings."""
    per_kind: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    totals = defaultdict(float)
    for case in cases:
        started = time.perf_counter()
        found = lookup(session, case.query, user, limit=10, threshold=0)
        elapsed = time.perf_counter() - started
        stats = per_kind[case.kind]
        stats["queries"] += 1
        stats["seconds"] += elapsed
        ids = [m.case_id for m in found]
        above = [m for m in found if m.score >= DEFAULT_THRESHOLD]
        if case.truth is not None:
            stats["with_truth"] += 1
            stats["top5"] += case.truth in ids[:5]
            stats["top1"] += bool(ids) and ids[0] == case.truth
        if case.other is not None and case.truth in ids:
            other_rank = ids.index(case.other) if case.other in ids else len(ids)
            stats["ranked_first"] += ids.index(case.truth) < other_rank
        true_above = sum(m.case_id == case.truth for m in above)
        stats["true_above"] += true_above
        stats["false_above"] += len(above) - true_above
        if above and len(above) > true_above:
            citizens = dict(
                session.execute(
                    select(CaseModel.id, CaseModel.main_citizen_id).where(
                        CaseModel.id.in_([m.case_id for m in above])
                    )
                ).all()
            )
            truth_citizen = citizens.get(case.truth) if case.truth else None
            stats["same_person_above"] += sum(
                1
                for m in above
                if m.case_id != case.truth
                and truth_citizen
                and citizens.get(m.case_id) == truth_citizen
            )
    for stats in per_kind.values():
        for key, value in stats.items():
            totals[key] += value
    return {"per_kind": per_kind, "totals": totals}


def report(results: dict, petitions: int) -> bool:
    """Print the table and the two figures; True when both targets are met."""
    print(f"\nLookup quality — {petitions:,} petitions on file, threshold {DEFAULT_THRESHOLD:g}")
    header = ("class", "queries", "recall@5", "top-1", "over threshold: true", "false")
    widths = (28, 7, 9, 7, 21, 6)
    print(
        " ".join(
            f"{h:{'<' if i == 0 else '>'}{w}}"
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    for kind, stats in results["per_kind"].items():
        with_truth = stats["with_truth"]
        recall = f"{stats['top5'] / with_truth:.3f}" if with_truth else "—"
        top1 = f"{stats['top1'] / with_truth:.3f}" if with_truth else "—"
        print(
            f"{kind:28} {int(stats['queries']):>7} {recall:>9} {top1:>7} "
            f"{int(stats['true_above']):>21} {int(stats['false_above']):>6}"
        )
    totals = results["totals"]
    recall = totals["top5"] / totals["with_truth"]
    matches = totals["true_above"] + totals["false_above"]
    precision = totals["true_above"] / matches if matches else 1.0
    lenient = (totals["true_above"] + totals["same_person_above"]) / matches if matches else 1.0
    same_person = results["per_kind"].get("same_person_other_matter", {})
    print(
        f"\nqueries: {int(totals['queries'])}, with a true duplicate: {int(totals['with_truth'])}"
    )
    print(f"recall of true duplicates in the top 5: {recall:.3f}  (target ≥ {RECALL_TARGET})")
    at_threshold = totals["true_above"] / totals["with_truth"]
    print(f"  true duplicates scored at or above the threshold: {at_threshold:.3f}")
    print(f"precision at the default threshold:     {precision:.3f}  (target ≥ {PRECISION_TARGET})")
    print(f"  counting the same citizen's other cases as relevant: {lenient:.3f}")
    if same_person.get("queries"):
        share = same_person["ranked_first"] / same_person["queries"]
        print(f"same person: the matter asked about ranks above the other one in {share:.3f}")
    print(f"mean lookup time: {1000 * totals['seconds'] / totals['queries']:.1f} ms")
    return recall >= RECALL_TARGET and precision >= PRECISION_TARGET


def main() -> int:
    """Build the evaluation set, run it, print the figures; exit 1 below target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--petitions", type=int, default=50_000)
    parser.add_argument("--per-class", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    app = bench_app(DEFAULT_DATABASE)
    ensure_base_data(app)
    petitions, _ = ensure_petitions(app, args.petitions, seed=1122)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="caolanh.tcd")
        cases = build_cases(db.session, random.Random(args.seed), args.per_class)
        results = evaluate(db.session, user, cases)
        met = report(results, petitions)
        db.session.remove()
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
