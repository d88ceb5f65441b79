"""R7: the REST API against its own OpenAPI document (schemathesis, in-process WSGI).

Every operation of ``/api/v1/_openapi`` is called with a few generated requests (a fixed
seed, a bounded number of examples per operation), as a district clerk and as the
administrator, each with a JWT. No answer may be a server error, and every answer must
match the document: its status documented where the operation documents statuses, its
body the documented schema (errors included: app.api.errors). Runs in well under a
minute on two cores.
"""

from __future__ import annotations

import contextlib
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.conftest import api_token

EXAMPLES_PER_OPERATION = 5
# The login endpoints: generated passwords would only lock the generated usernames out.
SKIPPED = {"/api/v1/security/login", "/api/v1/security/refresh"}


def _operations(app, client, username: str):
    token = api_token(client, username)
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/_openapi", app, headers={"Authorization": f"Bearer {api_token(client, 'admin')}"}
    )
    auth = {"Authorization": f"Bearer {token}"}
    operations = [
        result.ok() for result in schema.get_all_operations() if result.ok().path not in SKIPPED
    ]
    return operations, auth


def _fuzz(operation, auth) -> list[str]:
    failures: list[str] = []

    @seed(20261128)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case) -> None:
        response = case.call(headers=auth)
        try:
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )
            if response.status_code >= 400:
                body = response.json()
                assert isinstance(body.get("code"), str), f"no error code: {body}"
                assert isinstance(body.get("message"), str), f"no message: {body}"
        except Exception as error:  # collected, reported by the test
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
            raise

    with contextlib.suppress(Exception):  # the failure is in ``failures``
        run()
    return failures


@pytest.mark.parametrize("username", ["caolanh.tcd", "admin"])
def test_every_operation_answers_without_server_error_and_as_documented(app, client, username):
    operations, auth = _operations(app, client, username)
    assert len(operations) >= 20
    started = time.monotonic()
    failures = [failure for operation in operations for failure in _fuzz(operation, auth)]
    assert not failures, "\n\n".join(failures)
    assert time.monotonic() - started < 60
