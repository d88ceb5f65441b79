"""Errors of the REST API (R7): every error under ``/api/`` is one JSON shape.

::

    {"code": "validation_failed",
     "message": "Một số giá trị không được chấp nhận: xem từng trường trong errors.",
     "errors": {"summary": ["Vui lòng nhập tóm tắt nội dung."]}}

``code`` is a stable machine code (the table ``CODES``, or a more precise one such as
``token_expired``); ``message`` is Vietnamese; ``errors`` (only when fields are at fault)
maps each field to its Vietnamese messages — a nested field is named with ``-`` as on
the forms (``signatories-0-id_number``), ``_`` is the request as a whole.

Every API derives from ``ApiErrors`` (first in its bases), whose ``response_400`` …
``response_500`` and ``response_409`` all answer through ``api_error``. Errors raised
outside an API's own code (an unknown address or method, a missing or expired token,
a body over the size limit, rate limiting, an unexpected exception) are rewritten into
the same shape by ``normalize_api_error``, installed on the application with the first
API registered. The OpenAPI document describes the shape (``OPENAPI_RESPONSES``).
docs/api.md lists the codes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import prison
from apispec import APISpec
from flask import Flask, Response, current_app, jsonify, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.api.limits import API_LIMITS

# status → (stable code, Vietnamese message)
CODES: dict[int, tuple[str, Any]] = {
    400: ("bad_request", _l("The request could not be read: check the values sent.")),
    401: (
        "not_authenticated",
        _l("Log in first: the access token is missing, invalid or has expired."),
    ),
    403: ("forbidden", _l("Your account may not do this.")),
    404: ("not_found", _l("Not found, or outside your data scope.")),
    405: ("method_not_allowed", _l("This method is not allowed at this address.")),
    409: (
        "conflict",
        _l("The record was changed by someone else after you read it: read it again."),
    ),
    413: ("too_large", _l("The request is too large.")),
    415: ("unsupported_media_type", _l("Send the request body as JSON.")),
    422: ("validation_failed", _l("Some values were refused: see each field in errors.")),
    429: ("too_many_requests", _l("Too many requests: wait a moment and try again.")),
    500: ("internal_error", _l("Internal error: it has been logged, please try again later.")),
}
# FAB's rison filter argument ``q`` is parsed recursively: a deeper nesting exhausts the
# stack (500) before FAB can refuse it.
MAX_Q_DEPTH = 32
TOKEN_EXPIRED = ("token_expired", _l("The access token has expired: log in again."))
LOGIN_FAILED = ("login_failed", _l("Wrong username or password."))
_EXTENSION = "donthu_api_errors"

ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "description": "Stable machine code (docs/api.md)"},
        "message": {"type": "string", "description": "Vietnamese message"},
        "errors": {
            "type": "object",
            "description": "Field name → Vietnamese messages",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}
OPENAPI_RESPONSES = {
    str(status): {
        "description": f"Error ({code})",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}},
    }
    for status, (code, _text) in CODES.items()
}


def field_errors(detail: Mapping[Any, Any], prefix: str = "") -> dict[str, list[str]]:
    """Messages by field, flattened: nested fields joined with ``-``; texts in lists."""
    result: dict[str, list[str]] = {}
    for key, value in detail.items():
        name = f"{prefix}-{key}" if prefix else (str(key) if key not in (None, "") else "_")
        if isinstance(value, Mapping):
            result.update(field_errors(value, name))
        elif isinstance(value, list | tuple):
            texts = [gettext(str(v)) for v in value if not isinstance(v, Mapping)]
            for nested in (v for v in value if isinstance(v, Mapping)):
                result.update(field_errors(nested, name))
            if texts:
                result.setdefault(name, []).extend(texts)
        else:
            result.setdefault(name, []).append(gettext(str(value)))
    return result


def api_error(
    status: int,
    detail: str | Mapping[Any, Any] | None = None,
    *,
    code: str | None = None,
    message: str | None = None,
) -> Response:
    """THE error answer of the API: ``status`` with ``{"code", "message", "errors"?}``.

    ``detail`` is either a message (Vietnamese, or a framework message the catalog
    translates; an untranslated English one gives way to the status's message) or the
    messages by field (``{field: text or [texts]}``)."""
    default_code, default_text = CODES.get(status, CODES[500] if status >= 500 else CODES[400])
    body: dict[str, Any] = {"code": code or default_code, "message": str(default_text)}
    if isinstance(detail, Mapping):
        errors = field_errors(detail)
        if errors:
            body["errors"] = errors
        if len(errors) == 1 and "_" in errors:
            body["message"] = errors["_"][0]
    elif detail:
        body["message"] = _readable(str(detail)) or body["message"]
    if message:
        body["message"] = message
    response = jsonify(body)
    response.status_code = status
    return response


class ApiErrors:
    """The error answers of an API, all through ``api_error``, and its rate limit
    (``app.api.limits``); put first in the bases."""

    responses = OPENAPI_RESPONSES
    limits = API_LIMITS

    def create_blueprint(self, appbuilder: Any, *args: Any, **kwargs: Any):
        install_api_errors(current_app)
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)  # type: ignore[misc]
        blueprint.before_request(refuse_bad_filter)
        return blueprint

    def add_apispec_components(self, api_spec: APISpec) -> None:
        """The error shape in the OpenAPI document, for every API (FAB's own included)."""
        super().add_apispec_components(api_spec)  # type: ignore[misc]
        api_spec.components.responses.update(OPENAPI_RESPONSES)
        api_spec.components.schemas["ApiError"] = ERROR_SCHEMA

    def add_api_spec(self, api_spec: APISpec) -> None:
        super().add_api_spec(api_spec)  # type: ignore[misc]
        fix_menu_document(api_spec)

    def response_400(self, message: Any = None) -> Response:
        if isinstance(message, str) and message.startswith("Not a valid rison"):
            return api_error(400, {"q": [message]})
        return api_error(400, message)

    def response_401(self) -> Response:
        return api_error(401)

    def response_403(self, message: Any = None) -> Response:
        return api_error(403, message)

    def response_404(self) -> Response:
        return api_error(404)

    def response_409(self, message: Any = None) -> Response:
        return api_error(409, message)

    def response_422(self, message: Any = None) -> Response:
        return api_error(422, message)

    def response_500(self, message: Any = None) -> Response:
        current_app.logger.error("API internal error on %s: %s", request.path, message)
        return api_error(500)


def fix_menu_document(api_spec: APISpec) -> None:
    """FAB's menu API (registered before ours) documents a submenu entry as an object, but
    answers ``"-"`` for a separator: the document is made to say so."""
    operation = api_spec._paths.get("/api/v1/menu/", {}).get("get", {})
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    item = schema.get("properties", {}).get("result", {}).get("items", {})
    childs = item.get("properties", {}).get("childs")
    if childs is not None and childs.get("items", {}).get("type") == "object":
        childs["items"] = {"anyOf": [childs["items"], {"type": "string", "enum": ["-"]}]}


def refuse_bad_filter() -> Response | None:
    """A 400 for a filter argument ``q`` nested deeper than ``MAX_Q_DEPTH`` or that the
    rison parser cannot read (some malformed values raise other errors than FAB expects,
    e.g. ``(page:``, and would be a 500)."""
    text = request.args.get("q")
    if not text:
        return None
    depth = deepest = 0
    for char in text:
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(char, 0)
        deepest = max(deepest, depth)
    if deepest > MAX_Q_DEPTH:
        return api_error(400, {"q": [gettext("The filter argument q is nested too deeply.")]})
    try:
        prison.loads(text)
    except prison.decoder.ParserException:
        return None  # FAB tries it as JSON, then refuses it itself
    except Exception:  # any other failure of the parser is a bad argument
        return api_error(400, {"q": [gettext("Not a valid rison argument")]})
    return None


def _readable(text: Any) -> str | None:
    """``text`` in Vietnamese when it is or the catalog translates it; None for the
    framework's untranslated English defaults ("Not authorized", "Not found" …)."""
    if not isinstance(text, str) or not text:
        return None
    translated = gettext(text)
    return translated if translated != text or not text.isascii() else None


def _json_body(response: Response) -> Any:
    if not response.is_json:
        return None
    try:
        return json.loads(response.get_data(as_text=True))
    except ValueError:
        return None


def normalize_api_error(response: Response) -> Response:
    """An error under ``/api/`` not yet in the shape (framework, token, routing, limits)
    rewritten into it; everything else passes unchanged."""
    if response.status_code < 400 or not request.path.startswith("/api/"):
        return response
    body = _json_body(response)
    if isinstance(body, dict) and "code" in body and "message" in body:
        return response
    status = response.status_code
    text = body.get("message") if isinstance(body, dict) else None
    if isinstance(body, dict) and "msg" in body:  # flask-jwt-extended
        expired = "expired" in str(body["msg"]).lower()
        code, default = TOKEN_EXPIRED if expired else CODES[401]
        new = api_error(401, code=code, message=str(default))
    elif isinstance(text, Mapping):
        new = api_error(status, text)
    else:
        login = status == 401 and request.path.rstrip("/").endswith("/security/login")
        code, default = LOGIN_FAILED if login else CODES.get(status, (None, None))
        new = api_error(status, code=code, message=_readable(text) or (default and str(default)))
    for name, value in response.headers.items():
        if name not in ("Content-Type", "Content-Length"):
            new.headers[name] = value
    return new


def install_api_errors(app: Flask) -> None:
    """Rewrite every error under ``/api/`` into the shape; a second call does nothing."""
    if app.extensions.get(_EXTENSION):
        return
    app.extensions[_EXTENSION] = True
    app.after_request(normalize_api_error)
