"""Framework handles shared by every domain package: one metadata for FAB and our tables."""

from flask_appbuilder import Model
from flask_appbuilder.models.sqla.base import SQLA
from flask_migrate import Migrate

# FAB 5 trap: Flask-SQLAlchemy must use FAB's Model.metadata, or migrations see no tables.
db = SQLA(metadata=Model.metadata)
migrate = Migrate()
