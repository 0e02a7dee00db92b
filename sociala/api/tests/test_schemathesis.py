"""schemathesis against /api/v1/openapi.json: generated requests (valid and invalid) to every operation, as
a caseworker and as an administrator; no answer is a server error, and every answer is one the document
declares, in the declared media type and shape.

Bounded by hypothesis settings (a few examples per operation, derandomised) so that the run stays well under
a minute; a full run: ``st run`` against a served instance (docs/security.md).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from .conftest import bearer

pytestmark = pytest.mark.filterwarnings("ignore")

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
EXAMPLES_PER_OPERATION = int(os.environ.get("SOCIALA_SCHEMATHESIS_EXAMPLES", "12"))


@pytest.fixture
def api_schema(city, world, settings):
    # Hundreds of requests from one address in a few seconds: the rate limit has its own tests.
    settings.SOCIALA_RATE_LIMITS = {
        **settings.SOCIALA_RATE_LIMITS,
        "api_per_token": "",
        "api_per_address": "",
    }
    # Like Django's test client: the end of a request must not close the test's database connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(city):
    return [bearer(city.users["handlaggare.ifo"]), bearer(city.users["admin"])]


def operations(api_schema):
    for result in api_schema.get_all_operations():
        yield result.ok()


def test_the_api_answers_every_generated_request_as_documented(api_schema, tokens):
    tested = []
    statuses: dict[int, int] = {}
    for operation in operations(api_schema):

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            for token in tokens:
                response = case.call_and_validate(
                    headers={"Authorization": token["HTTP_AUTHORIZATION"]}, checks=CHECKS
                )
                assert response.status_code < 500
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        answers_as_documented()
        tested.append(operation.label)
    assert len(tested) == 22
    print(statuses)
    # Requests reached the views with both tokens: some answered, some were refused as invalid input.
    assert {200, 422} <= set(statuses)
