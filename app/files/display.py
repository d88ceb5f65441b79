"""How a stored file is described to users: size and the state of its PDF signatures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext

from app.files.signatures import ERROR, INVALID, UNSIGNED, VALID_TRUSTED, VALID_UNTRUSTED
from app.templating import format_datetime


def human_size(size: int) -> str:
    """ "850 B", "12,4 KB", "10 MB" (Vietnamese decimal comma)."""
    if size < 1024:
        return f"{size} B"
    value, unit = (size / 1024, "KB") if size < 1024 * 1024 else (size / 1024 / 1024, "MB")
    return f"{value:.1f}".replace(".", ",").removesuffix(",0") + f" {unit}"


def _signers(info: dict[str, Any]) -> str:
    parts = []
    for signature in info.get("signatures", []):
        who = ", ".join(filter(None, [signature.get("signer"), signature.get("organisation")]))
        when = signature.get("signing_time")
        if when:
            who = f"{who} ({format_datetime(dt.datetime.fromisoformat(when))})"
        if who:
            parts.append(who)
    return "; ".join(parts)


def signature_summary(info: dict[str, Any] | None) -> str:
    """One line on a PDF's digital signatures (legal-domain.md §8): unsigned, valid and
    trusted, intact but from an authority not configured as trusted, modified after
    signing, or unreadable; empty for files that are not PDFs."""
    if not info:
        return ""
    status = info.get("status")
    signers = _signers(info)
    if status == UNSIGNED:
        return gettext("No digital signature")
    if status == VALID_TRUSTED:
        return gettext("Valid digital signature: %(signers)s", signers=signers)
    if status == VALID_UNTRUSTED:
        return gettext(
            "Digital signature intact, certificate authority not verified: %(signers)s",
            signers=signers,
        )
    if status == INVALID:
        return gettext(
            "Digital signature NOT valid: the file was changed after signing (%(signers)s)",
            signers=signers,
        )
    if status == ERROR:
        return gettext("The digital signature could not be read")
    return ""
