"""Imported petitions queued for the national database (issue 7, R7), in the import's
transaction.

The import writes with bulk inserts, which the outbox capture (app.outbox.capture, session
events) never sees. So the import queues the ``case`` record of each petition itself,
with the capture's own item and payload builders (``item_values``, ``build_payload``):
they read snapshots of the rows just inserted — plain records with the models' attributes
and properties, holding the inserted values — and the items of a chunk are written in one
bulk insert by the caller. Building one payload this way costs
no query (the code mapping is read once per import and new petitions have no attachments,
``lookups_read_once``); loading the petitions back through the ORM would cost several.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.geography.models import AdminUnit
from app.outbox.capture import item_values
from app.outbox.models import CASE
from app.outbox.payloads import lookups_read_once, national_codes
from app.petitions.models import Case, Citizen, Petition, PetitionSignatory, SubjectArea

# Most values in one IN (…) list.
IN_LIMIT = 900


@functools.cache
def _record_class(model: type) -> type:
    """A plain class standing for rows of ``model``: every column and relationship
    defaults to None (collections to an empty tuple) and the model's properties are kept.
    Reading its attributes costs none of the ORM's instrumentation."""
    mapper = inspect(model)
    namespace: dict[str, Any] = {"__tablename__": model.__tablename__}
    for klass in reversed(model.__mro__):
        namespace.update(
            (name, value) for name, value in vars(klass).items() if isinstance(value, property)
        )
    namespace.update((column.key, None) for column in mapper.column_attrs)
    namespace.update(
        (relation.key, () if relation.uselist else None) for relation in mapper.relationships
    )
    return type(f"{model.__name__}Values", (), namespace)


def copied(model: type, instance: Any, **related: Any) -> Any:
    """A plain record with the column values of a loaded ``instance`` of ``model`` (and
    ``related`` records): read many times, it costs no instrumented attribute access."""
    columns = {column.key: getattr(instance, column.key) for column in inspect(model).column_attrs}
    return snapshot(model, {**columns, **related})


def snapshot(model: type, values: Mapping[str, Any]) -> Any:
    """A record of ``model`` holding ``values`` (columns and related records), as the
    payload builders read a loaded instance; no session sees it and no event fires."""
    record = _record_class(model)()
    record.__dict__.update(values)
    return record


class ImportedCases:
    """R7: the outbox items of the petitions an import inserts, chunk by chunk."""

    def __init__(self, session: Session):
        self.session = session
        # read whole (a few hundred or thousand rows), as plain records: no query per chunk
        # waits for the COPY thread, and the payloads read them without instrumentation
        self.agencies: dict[int, Agency] = {
            agency.id: copied(Agency, agency) for agency in session.scalars(select(Agency))
        }
        self.areas: dict[int, SubjectArea] = {
            area.id: copied(SubjectArea, area) for area in session.scalars(select(SubjectArea))
        }
        self.units: dict[int, AdminUnit] = {
            unit.id: copied(AdminUnit, unit) for unit in session.scalars(select(AdminUnit))
        }
        for unit in self.units.values():
            unit.parent = self.units.get(unit.parent_id)
        self.codes = national_codes(session)

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
        commune = self.units.get(values.get("commune_unit_id"))
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
                        "agency": self.agencies.get(values["agency_id"]),
                        "subject_area": self.areas.get(values["subject_area_id"]),
                        "case": snapshot(Case, case),
                        "signatories": [signatory],
                        "source_agency": None,
                        "visit": None,
                    },
                )
                result.append(item_values(self.session, CASE, petition))
        return result
