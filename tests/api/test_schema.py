"""The OpenAPI document: generated from the code, valid, served with a local Swagger UI.

A property-based run of schemathesis against the live test server, anonymous
and with a department's token, finds no server error and no 2xx body that
breaks the document's own response schemas.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import drf_spectacular
import jsonschema
import pytest
import schemathesis
from django.urls import reverse
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from standards.roles import Role
from tests.api.conftest import person, publish_for_test
from tests.content import fill_version
from tests.factories import VersionFactory

META_SCHEMA = Path(drf_spectacular.__file__).parent / "validation" / "openapi_3_0_schema.json"


def _document(client):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.django_db
def test_the_document_is_valid_openapi_3(client):
    document = _document(client)
    assert document["openapi"].startswith("3.0")
    jsonschema.validate(document, json.loads(META_SCHEMA.read_text()))
    validate_schema(document)  # drf-spectacular's validator, same meta-schema and more checks
    paths = document["paths"]
    assert "/api/v1/standards/{basic_code}/{department_code}/versions/{number}/" in paths
    assert "patch" in paths["/api/v1/drafts/{id}/sections/{section}/"]
    # Only this API is documented, not other apps' views.
    assert all(p.startswith("/api/v1/") for p in paths)


@pytest.mark.django_db
def test_the_document_is_stable_across_requests(client):
    assert _document(client) == _document(client)


@pytest.mark.django_db
def test_the_docs_page_uses_only_the_apps_own_static_files(client):
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "swagger-ui" in html
    assert "<script>" not in html.replace(" ", "")  # no inline script (CSP without unsafe-inline)
    script = client.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


# Property-based run against the live server ---------------------------------------

RUN = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def live_data(transactional_db):
    """A published standard and a draft, so that some generated requests find objects."""
    published = VersionFactory(standard__item__basic_code="011000001000")
    fill_version(published)
    staff = person(Role.DEPARTMENT_STAFF, published.standard.department, name="live-staff")
    publish_for_test(published, staff)
    draft = VersionFactory(standard=published.standard, number=2)
    fill_version(draft)
    standard = published.standard
    # Path parameters that name real objects, used instead of generated ones half of the time.
    known = {
        "id": [draft.pk],
        "basic_code": [standard.item.basic_code],
        "department_code": [standard.department.code],
        "code": [standard.department.code, standard.region.code, "E05.01"],
        "number": [1],
        "section": ["B00", "E05", "E12", "PL"],
        "name": ["item_type"],
    }
    return {"staff": staff, "draft": draft, "known": known}


@pytest.fixture
def api_schema(live_server, live_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Rate limiting is tested on its own (test_throttling); here it would only end the run.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"},
    }
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")


def run_every_operation(schema, known, headers=None):
    """Valid and invalid requests for every operation; returns the failures found."""
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @RUN
        @given(case=strategy, data=st.data())
        def check(case, data):
            for name in case.path_parameters or {}:
                if name in known and data.draw(st.booleans()):
                    case.path_parameters[name] = data.draw(st.sampled_from(known[name]))
            sent = dict(headers or {})
            if case.method == "PATCH" and data.draw(st.booleans()):
                sent["If-Match"] = "*"  # past the precondition, into the editor's forms
            case.call_and_validate(checks=CHECKS, headers=sent)

        try:
            check()
        except Exception as failure:  # collected so that one run reports every operation
            failures.append(f"{operation.label}: {failure}")
    return failures


@pytest.mark.django_db(transaction=True)
def test_no_server_error_for_anonymous_callers(api_schema, live_data):
    assert run_every_operation(api_schema, live_data["known"]) == []


@pytest.mark.django_db(transaction=True)
def test_no_server_error_for_a_departments_token(api_schema, live_data):
    token, _created = Token.objects.get_or_create(user=live_data["staff"])
    headers = {"Authorization": f"Token {token.key}"}
    assert run_every_operation(api_schema, live_data["known"], headers) == []
