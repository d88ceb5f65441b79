"""Application factory: ordered init steps, nothing done at import time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask_appbuilder import AppBuilder
from flask_wtf.csrf import CSRFProtect

from app.core.sqlite import install_sqlite_pragmas
from app.extensions import db, migrate
from app.production import check_admin_password, check_secret_key

PROJECT_DIR = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app: config, database, a fresh AppBuilder, views and commands."""
    app = Flask(__name__, instance_path=str(PROJECT_DIR / "instance"))
    app.config.from_object("config")
    if overrides:
        app.config.update(overrides)
    check_secret_key(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    install_sqlite_pragmas()
    db.init_app(app)
    # CSRF on every form; FAB then refuses state changes over GET and exempts its JWT APIs.
    CSRFProtect(app)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"))

    from app import models  # noqa: F401  (every model registered on the one metadata)
    from app.agencies.tree import install_tree_listener
    from app.audit.listeners import install_audit_listeners
    from app.audit.softdelete import install_soft_delete_filter
    from app.cli import register_commands
    from app.core.text import install_nfc_text
    from app.files.storage import check_upload_root_not_served
    from app.petitions.keys import install_lookup_keys_listener
    from app.registry import register_views
    from app.security.headers import install_http_security
    from app.security.passwords import install_password_policy
    from app.security.sessions import (
        install_forced_password_change,
        install_session_stamp_listeners,
    )
    from app.templating import register_template_helpers
    from app.ui.setup import init_ui

    install_nfc_text()
    install_audit_listeners()
    install_soft_delete_filter()
    install_tree_listener()
    install_lookup_keys_listener()
    install_session_stamp_listeners()
    install_http_security(app)
    install_password_policy(app)
    with app.app_context():
        # FAB 5: init inside an app context, and one AppBuilder per app (no singleton).
        appbuilder = AppBuilder()
        appbuilder.init_app(app, db.session)
        register_views(appbuilder)
        check_admin_password(app)
    # After FAB's own before_request, which sets g.user.
    install_forced_password_change(app)
    init_ui(app)
    register_template_helpers(app)
    register_commands(app)
    check_upload_root_not_served(app)
    return app
