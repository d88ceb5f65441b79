"""Digital signatures embedded in an uploaded PDF, read with pyHanko (legal-domain.md §8).

An unsigned PDF is flagged, never refused. Each signature is validated offline (no CRL or
OCSP fetching) against the certificate authorities of ``SIGNATURE_TRUST_ROOTS``; with none
configured a signature can be intact and valid but never trusted. What is stored in
``StoredFile.signature_info``::

    {"signed": true, "status": "valid_untrusted",
     "signatures": [{"field": "Signature1", "signer": "Nguyễn Văn An",
                     "organisation": "Thanh tra tỉnh Đồng Tháp", "serial": "1f…",
                     "signing_time": "2026-11-27T02:15:00+00:00", "intact": true,
                     "valid": true, "trusted": false, "coverage": "ENTIRE_FILE",
                     "status": "valid_untrusted"}]}

``status`` per signature: ``valid_trusted``, ``valid_untrusted``, ``invalid`` (modified
after signing or a broken signature) or ``error`` (unreadable); the file's status is the
worst of its signatures, ``unsigned`` without any.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from app.core.threads import in_worker_thread

UNSIGNED, VALID_TRUSTED, VALID_UNTRUSTED, INVALID, ERROR = (
    "unsigned",
    "valid_trusted",
    "valid_untrusted",
    "invalid",
    "error",
)
_SEVERITY = [VALID_TRUSTED, VALID_UNTRUSTED, ERROR, INVALID]
_log = logging.getLogger(__name__)


class UnreadablePdf(ValueError):
    """The data starts like a PDF but its structure cannot be read."""


def load_trust_roots(paths: Iterable[str]) -> list[asn1_x509.Certificate]:
    """The certificates of the PEM or DER files ``paths`` (config SIGNATURE_TRUST_ROOTS)."""
    roots = []
    for path in paths:
        data = Path(path).read_bytes()
        if pem.detect(data):
            roots.extend(asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, True))
        else:
            roots.append(asn1_x509.Certificate.load(data))
    return roots


def _attribute(certificate: asn1_x509.Certificate, name: str) -> str:
    value = certificate.subject.native.get(name, "")
    return ", ".join(value) if isinstance(value, list) else str(value)


def _status(intact: bool, valid: bool, trusted: bool) -> str:
    if not (intact and valid):
        return INVALID
    return VALID_TRUSTED if trusted else VALID_UNTRUSTED


def _signature(embedded: Any, roots: list[asn1_x509.Certificate]) -> dict[str, Any]:
    entry: dict[str, Any] = {"field": embedded.field_name}
    try:
        result = validate_pdf_signature(
            embedded, ValidationContext(trust_roots=roots, allow_fetching=False)
        )
    except (PdfError, ValueError, KeyError) as error:
        _log.info("PDF signature %s unreadable: %s", embedded.field_name, error)
        return {**entry, "status": ERROR, "intact": False, "valid": False, "trusted": False}
    certificate = result.signing_cert
    signed_at = result.signer_reported_dt
    return {
        **entry,
        "signer": _attribute(certificate, "common_name"),
        "organisation": _attribute(certificate, "organization_name"),
        "serial": format(certificate.serial_number, "x"),
        "signing_time": signed_at.isoformat() if signed_at else None,
        "intact": bool(result.intact),
        "valid": bool(result.valid),
        "trusted": bool(result.trusted),
        "coverage": result.coverage.name if result.coverage else None,
        "status": _status(result.intact, result.valid, result.trusted),
    }


def _signatures(embedded: list[Any], roots: list[asn1_x509.Certificate]) -> list[dict[str, Any]]:
    return [_signature(signature, roots) for signature in embedded]


def read_signatures(data: bytes, trust_roots: list[asn1_x509.Certificate]) -> dict[str, Any]:
    """The embedded signatures of the PDF ``data`` with their validation (see the module
    docstring); UnreadablePdf when the PDF's structure cannot be read."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as error:
        raise UnreadablePdf(str(error)) from error
    if not embedded:
        return {"signed": False, "status": UNSIGNED, "signatures": []}
    signatures = in_worker_thread(_signatures, embedded, trust_roots)
    worst = max((s["status"] for s in signatures), key=_SEVERITY.index)
    return {"signed": True, "status": worst, "signatures": signatures}
