"""Generated input over the whole OpenAPI (schemathesis): no 5xx, no answer outside the schema.

Guards issue 9 §4: every operation, fed valid and invalid input, answers only documented status
codes with bodies that match their documented schemas (`ErrorOut` for every error), and never a
server error, whether the caller is anonymous, a provincial coordinator or a team member's
device. Runs the app in-process (WSGI) on a real database seeded with a small tree; each
request commits on its own, as in production (hence `transactional_db`).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dxday.wsgi import application

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
CALLERS = (None, "coordinator", "member")


@pytest.fixture
def world(api_world, transactional_db):
    return api_world


@schema.parametrize()
@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_only_what_it_documents(case, world):
    for caller in CALLERS:
        headers = {"Authorization": f"Bearer {world.tokens[caller]}"} if caller else {}
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        if caller and case.method == "DELETE" and response.status_code == 204:
            # The run revoked its own token (DELETE /auth/token): issue a fresh one.
            world.tokens[caller] = world.issue[caller]()
