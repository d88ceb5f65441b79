"""Attention providers that exist before petitions and tasks do: accounts, agencies, audit.

Each provider answers only users who may open the screen its cards link to, and counts
only rows in the user's data scope (app.security.scope), in SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, exists, select
from sqlalchemy.sql.elements import ColumnElement

from app.agencies.models import Agency
from app.audit.models import AuditLog
from app.audit.scope import INCLUDE_DELETED
from app.core.clock import now_local
from app.extensions import db
from app.figures.counts import count_rows
from app.home.attention import Card, Severity, add_attention_provider
from app.home.links import AGENCIES_MENU, AUDIT_MENU, USERS_MENU, can_open, menu_url
from app.security.models import AppUser
from app.security.scope import scope_condition, sees_whole_province

# How many example names a card lists.
EXAMPLES = 5
# FAB list filter "Active: not equal to yes" (filter #1 of a Boolean column).
INACTIVE_FILTER = "?_flt_1_active=y"


def _count(query: Select, **options: Any) -> int:
    return count_rows(db.session, query, **options)


def _examples(query: Select) -> tuple[str, ...]:
    return tuple(db.session.scalars(query.limit(EXAMPLES)))


def _active_user_at(agency_id: Any) -> ColumnElement[bool]:
    return exists().where(AppUser.agency_id == agency_id, AppUser.active.is_(True))


def account_cards(user: Any) -> list[Card]:
    """R10, R11: accounts the user administers, those never used, those without an agency."""
    link = menu_url(USERS_MENU)
    if link is None or not can_open(USERS_MENU):
        return []
    whole_province = sees_whole_province(user)
    in_scope = scope_condition(AppUser, user)
    total = _count(select(AppUser.id).where(in_scope))
    title = (
        gettext("Accounts in the whole province")
        if whole_province
        else gettext("Accounts of your agency and the agencies under it")
    )
    cards = [Card(title, total, link)]
    never_used = (
        select(AppUser.username)
        .where(in_scope, AppUser.active.is_(True), AppUser.last_login.is_(None))
        .order_by(AppUser.username)
    )
    count = _count(never_used)
    if count:
        title = gettext("Active accounts that have never logged in")
        cards.append(Card(title, count, link, Severity.WARNING, _examples(never_used)))
    if whole_province:
        orphans = (
            select(AppUser.username)
            .where(AppUser.agency_id.is_(None), AppUser.active.is_(True))
            .order_by(AppUser.username)
        )
        count = _count(orphans)
        if count:
            title = gettext("Active accounts not attached to any agency")
            cards.append(Card(title, count, link, Severity.DANGER, _examples(orphans)))
    return cards


def agency_cards(user: Any) -> list[Card]:
    """R11: every agency gets accounts; an agency no longer active should have none left."""
    link = menu_url(AGENCIES_MENU)
    if link is None or not can_open(USERS_MENU) or not can_open(AGENCIES_MENU):
        return []
    in_scope = scope_condition(Agency, user)
    cards = []
    stale = (
        select(Agency.name)
        .where(in_scope, Agency.active.is_(False), _active_user_at(Agency.id))
        .order_by(Agency.depth, Agency.name_key)
    )
    count = _count(stale)
    if count:
        title = gettext("Inactive agencies that still have active accounts")
        cards.append(Card(title, count, link + INACTIVE_FILTER, Severity.DANGER, _examples(stale)))
    without = (
        select(Agency.name)
        .where(in_scope, Agency.active.is_(True), ~_active_user_at(Agency.id))
        .order_by(Agency.depth, Agency.name_key)
    )
    count = _count(without)
    if count:
        title = gettext("Active agencies without any active account")
        cards.append(Card(title, count, link, Severity.WARNING, _examples(without)))
    return cards


def audit_cards(user: Any) -> list[Card]:
    """R9: how many entries the audit log recorded today (local day) that the user may
    read (app.audit.scope: made in the user's agency subtree or about its records)."""
    link = menu_url(AUDIT_MENU)
    if link is None or not can_open(AUDIT_MENU):
        return []
    midnight = now_local().replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = midnight + dt.timedelta(days=1)
    today = select(AuditLog.id).where(
        AuditLog.at >= midnight.astimezone(dt.UTC),
        AuditLog.at < tomorrow.astimezone(dt.UTC),
        scope_condition(AuditLog, user),
    )
    title = (
        gettext("Changes recorded today")
        if sees_whole_province(user)
        else gettext("Changes made today in your agency and the agencies under it")
    )
    return [Card(title, _count(today, **INCLUDE_DELETED), link)]


def register_default_providers() -> None:
    """Register the providers above with the current app, in page order."""
    for provider in (account_cards, agency_cards, audit_cards):
        add_attention_provider(provider)
