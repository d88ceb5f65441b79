"""Imported petitions queued for the national database (issue 7, R7), in the import's
transaction.

The import writes with bulk inserts, which the outbox capture (app.outbox.capture, session
events) never sees. So the import queues the ``case`` record of each petition itself,
with the capture's own item and payload builders (``item_values``, ``build_payload``):
they read snapshots of the rows just inserted — model instances holding the inserted
values, never added to a session, as the ORM's loader fills instances — and the items of
a chunk are written in one bulk insert by the caller. Building one payload this way costs
no query (the code mapping is read once per import and new petitions have no attachments,
``lookups_read_once``); loading the petitions back through the ORM would cost several.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.instrumentation import manager_of_class

from app.agencies.models import Agency
from app.geography.models import AdminUnit
from app.outbox.capture import item_values
from app.outbox.models import CASE
from app.outbox.payloads import lookups_read_once, national_codes
from app.petitions.models import Case, Citizen, Petition, PetitionSignatory, SubjectArea

T = TypeVar("T")
# Most values in one IN (…) list.
IN_LIMIT = 900


def snapshot(model: type[T], values: Mapping[str, Any]) -> T:
    """An instance of ``model`` holding ``values`` (columns and related objects) as if
    loaded: no event fires and no session sees it."""
    instance = manager_of_class(model).new_instance()
    instance.__dict__.update(values)
    return instance


class ImportedCases:
    """R7: the outbox items of the petitions an import inserts, chunk by chunk."""

    def __init__(self, session: Session):
        self.session = session
        # read whole (a few hundred rows): no query per chunk waits for the COPY thread
        self.agencies: dict[int, Agency] = {a.id: a for a in session.scalars(select(Agency))}
        self.areas: dict[int, SubjectArea] = {
            area.id: area for area in session.scalars(select(SubjectArea))
        }
        self.communes: dict[int, AdminUnit] = {}
        self.codes = national_codes(session)

    def _get(self, cache: dict[int, Any], model: type, key: int | None) -> Any:
        if key is None:
            return None
        if key not in cache:
            cache[key] = self.session.get(model, key)
        return cache[key]

    def _stored_citizens(self, ids: set[int]) -> dict[int, Citizen]:
        """Citizens not inserted by this chunk (known before, or by an earlier chunk)."""
        wanted = sorted(ids)
        found: dict[int, Citizen] = {}
        for start in range(0, len(wanted), IN_LIMIT):
            part = wanted[start : start + IN_LIMIT]
            found.update(
                (citizen.id, citizen)
                for citizen in self.session.scalars(select(Citizen).where(Citizen.id.in_(part)))
            )
        return found

    def _citizen(self, values: Mapping[str, Any]) -> Citizen:
        commune = self._get(self.communes, AdminUnit, values.get("commune_unit_id"))
        return snapshot(Citizen, {**values, "commune": commune})

    def items(
        self,
        petitions: list[dict[str, Any]],
        cases: list[dict[str, Any]],
        signatories: list[dict[str, Any]],
        new_citizens: Mapping[int, Mapping[str, Any]],
    ) -> list[dict[str, Any]]:
        """The values of one pending ``case`` item per inserted petition, from the values
        inserted (with their ids): the petitions, their cases and signatories (one each,
        in the same order) and the citizens this chunk created, by id."""
        citizens: dict[int, Citizen] = {
            citizen_id: self._citizen(values) for citizen_id, values in new_citizens.items()
        }
        wanted = {values["citizen_id"] for values in signatories} - set(citizens)
        citizens.update(self._stored_citizens(wanted))
        result = []
        ids = [values["id"] for values in petitions]
        with lookups_read_once(self.session, ids, self.codes):
            for values, case, signed in zip(petitions, cases, signatories, strict=True):
                signatory = snapshot(
                    PetitionSignatory, {**signed, "citizen": citizens[signed["citizen_id"]]}
                )
                petition = snapshot(
                    Petition,
                    {
                        **values,
                        "agency": self._get(self.agencies, Agency, values["agency_id"]),
                        "subject_area": self._get(
                            self.areas, SubjectArea, values["subject_area_id"]
                        ),
                        "case": snapshot(Case, case),
                        "signatories": [signatory],
                        "source_agency": None,
                        "visit": None,
                    },
                )
                result.append(item_values(self.session, CASE, petition))
        return result
