"""Schemathesis against the running API: requests generated from the OpenAPI document for
every operation, sent as a client with every scope, find no 500 and no answer outside the
document (status, content type, body, headers)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 25


def test_the_api_answers_every_generated_request_as_its_document_says(
    live_server, token, annas_case, settings
):
    settings.API_REQUESTS_PER_MINUTE = 1_000_000
    # The document's paths hold /api/v1/ already.
    base_url = live_server.url
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json")
    failures, tried = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        tried += 1

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES, deadline=None, database=None,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        def check(case):
            # Not "every valid request is accepted": a cursor or a status name the API never
            # gave is refused (400, 422) as the document says.
            case.call_and_validate(
                base_url=base_url, headers=headers, excluded_checks=[positive_data_acceptance]
            )

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # each operation's failures, collected
            failures.append(f"{operation.label}: {error}")
    document = schema.raw_schema["paths"]
    assert tried == sum(len(item) for item in document.values()) > 0
    assert not failures, "\n\n".join(failures)
