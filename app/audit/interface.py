"""FAB data interface whose delete is a soft delete (R9: users never hard-delete).

Use it as the ``datamodel`` of any view or API over a model with SoftDeleteMixin; FAB's
delete, bulk delete and REST DELETE then mark the record instead of removing it.
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.exc import SQLAlchemyError

from app.audit.guards import DeletionRefused
from app.audit.softdelete import soft_delete


class SoftDeleteInterface(SQLAInterface):
    """SQLAInterface marking soft-deletable records deleted instead of deleting them.

    FAB builds the interfaces of related models (pickers, API schemas) from this class
    too; those are never asked to delete. Deleting a record without SoftDeleteMixin
    through it is a programming error (TypeError), never a silent hard delete.
    """

    def delete(self, item: Any, commit: bool = True) -> None:
        """Soft-delete ``item`` (R9); a refusal becomes FAB's DatabaseException (API: 422)."""
        self.delete_all([item], commit=commit)

    def delete_all(self, items: list[Any], commit: bool = True) -> None:
        """Soft-delete every item, all or none (R9)."""
        try:
            for item in items:
                soft_delete(item)
            if commit:
                self.session.commit()
        except DeletionRefused as refusal:
            self.session.rollback()
            raise DatabaseException(str(refusal)) from refusal
        except SQLAlchemyError as ex:
            self.session.rollback()
            raise DatabaseException from ex
