"""API fuzzing with schemathesis: no endpoint answers a 5xx, whatever the parameters.

Starting jobs (POST) is left out: a generated request may be a valid run of every shipped
scenario, which would keep the job worker busy long after the test; the job endpoints' refusals
are tested in test_api.py.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from magchain.service import Service
from magchain.web.api import create_app


@pytest.fixture(scope="module")
def api_schema(shipped_sqlite):
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(Service(store=shipped_sqlite)))


schema = schemathesis.pytest.from_fixture("api_schema").exclude(method="POST")


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_endpoint_answers_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])
