"""Contract and fuzz test of the running gateway from its own OpenAPI document
(/v1/openapi.json) with schemathesis: generated requests, valid and invalid,
for every operation; no answer may be a 5xx, and every answer must conform to
the document (status code, content type, headers, body schema). Runs as a
regular user, so admin-only operations answer their documented 403 and the
shared question bank is not rewritten by the fuzzer."""
import os

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in tests/integration/requirements.txt")
from hypothesis import HealthCheck, assume, settings  # noqa: E402  (installed with schemathesis)

from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance, ignored_auth, negative_data_rejection, response_headers_conformance,
    response_schema_conformance, status_code_conformance)

from conftest import GATEWAY  # noqa: E402

CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection, ignored_auth)

# Enough to touch every operation with valid and invalid data in about a minute.
MAX_EXAMPLES = int(os.environ.get("ISIM_CONTRACT_EXAMPLES", "25"))


@pytest.fixture(scope="module")
def contract_user(admin_api):
    """A user of its own: what the fuzzer creates (webhooks with odd URLs,
    interviews) stays away from the other tests' user."""
    return admin_api.new_user("contract fuzzer")


@pytest.fixture
def gateway_schema():
    return schemathesis.from_uri(
        GATEWAY + "/v1/openapi.json", base_url=GATEWAY,
        data_generation_methods=[schemathesis.DataGenerationMethod.positive,
                                 schemathesis.DataGenerationMethod.negative],
        # The key is ours (a real user's); fuzzing it is the security tests' job.
        generation_config=schemathesis.GenerationConfig(with_security_parameters=False))


schema = schemathesis.from_pytest_fixture("gateway_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_gateway_conforms_to_its_openapi(case, contract_user):
    # A "negative" case whose only change is a query parameter with an empty
    # list of values sends no such parameter at all: it is a valid request.
    assume(not any(v == [] for v in (case.query or {}).values()))
    auth = {"Authorization": f"Bearer {contract_user.key}"}
    case.headers = case.headers or {}  # ignored_auth writes into these
    case.cookies = case.cookies or {}
    response = case.call(headers=auth, timeout=30)
    # ignored_auth sends the request again without the key, then with a wrong one, and expects 401.
    case.validate_response(response, checks=CHECKS, headers=auth,
                           transport_kwargs={"headers": auth, "timeout": 30})
