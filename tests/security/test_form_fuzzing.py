"""Hypothesis against every form: random, odd and huge input never makes a server error,
and a refused submission leaves nothing half-saved.

The forms are posted through the real views (the editor's section forms, the
review comment, the search, the webhook registration and the workbook upload).
Runs are derandomized so a failure reproduces; each form gets a bounded number
of examples to keep the suite's time in hand.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standards.models import ApprovalItem, Department, ReviewComment, ReviewRound, StandardVersion
from standards.registry import FieldType
from standards.services.editing import registry_section
from standards.snapshot import snapshot
from subscriptions.models import WebhookSubscription
from tests.editor_posting import section_post_data
from tests.factories import ApprovalItemFactory, DepartmentFactory

from .test_xss_corpus import CORPUS
from .world import build_world, fingerprint

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

# Text a person, a paste or an attacker might send: any unicode, control and
# NUL characters, the injection corpus, and values far over any length limit.
texts = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(CORPUS),
    st.sampled_from(["", " ", "\x00", "\r\n", "\u202e", "𠀀𪚥", "-1", "9" * 40, "1e309", "NaN"]),
    st.text(min_size=1, max_size=3).map(lambda s: s * 40_000),  # ~100 KB and more
)


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_world()


def signed_in(world: Any, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("section", ["B00", "E05", "E07", "PL"])
def test_the_editors_section_forms(world, section):
    owned = world.owned["a_draft"]
    client = signed_in(world, "staff_a")
    url = reverse("standards:section", args=[owned.version.pk, section])
    sec = registry_section(section)
    names = [f for f in sec.fields if f.type not in (FieldType.FILE, FieldType.REF)]

    @FUZZ
    @given(data=st.data())
    def post(data: Any) -> None:
        version = StandardVersion.objects.get(pk=owned.version.pk)
        form = section_post_data(version, sec, snapshot(version)["content"])
        keys = [k for k in form if any(k.endswith(f"-{f.attribute}") for f in names)]
        for key in data.draw(st.lists(st.sampled_from(keys), max_size=6, unique=True)):
            form[key] = data.draw(texts)
        before = fingerprint(owned)
        response = client.post(url, form)
        assert response.status_code < 500
        if response.status_code != 302:
            assert response.status_code in (409, 422), response.status_code
            assert fingerprint(owned) == before  # refused: nothing saved

    post()


def test_the_review_comment_form(world):
    owned = world.owned["a_draft"]
    StandardVersion.objects.filter(pk=owned.version.pk).update(state="in_review")
    ReviewRound.objects.filter(version=owned.version).update(outcome="open", closed_at=None)
    client = signed_in(world, "reviewer_a")
    url = reverse("standards:review_comment_add", args=[owned.version.pk])

    @FUZZ
    @given(
        field_code=st.one_of(st.sampled_from(["B00.08", "E05.01", "E99.99"]), texts),
        row_id=texts,
        reason=st.one_of(st.sampled_from(["wording", "other"]), texts),
        severity=st.one_of(st.sampled_from(["must_fix", "suggestion"]), texts),
        text=texts,
    )
    def post(field_code: str, row_id: str, reason: str, severity: str, text: str) -> None:
        count = ReviewComment.objects.count()
        response = client.post(
            url,
            {
                "field_code": field_code,
                "row_id": row_id,
                "reason": reason,
                "severity": severity,
                "text": text,
            },
        )
        assert response.status_code < 500
        if response.status_code != 302:
            assert ReviewComment.objects.count() == count
        else:
            saved = ReviewComment.objects.order_by("-pk").first()
            assert saved is not None and saved.text == text.strip()

    post()


def test_the_search_form():
    client = Client()
    url = reverse("search:results")

    @FUZZ
    @given(q=texts, department=texts, item_type=texts, page=texts)
    def search(q: str, department: str, item_type: str, page: str) -> None:
        response = client.get(
            url, {"q": q[:5000], "department": department[:200], "item_type": item_type[:200],
                  "page": page[:50]}
        )  # fmt: skip
        assert response.status_code < 500
        if response.status_code == 200:
            assert "<script>alert" not in response.content.decode()

    search()


def test_the_webhook_form(world):
    client = signed_in(world, "staff_a")
    url = reverse("subscriptions:create")

    @FUZZ
    @given(
        url_value=st.one_of(texts, st.sampled_from(["https://example.gov.cn/hook", "ftp://x"])),
        description=texts,
        department=texts,
    )
    def post(url_value: str, description: str, department: str) -> None:
        count = WebhookSubscription.objects.count()
        response = client.post(
            url, {"url": url_value, "description": description, "department": department}
        )
        assert response.status_code < 500
        if response.status_code != 302:
            assert WebhookSubscription.objects.count() == count
        else:
            created = WebhookSubscription.objects.order_by("-pk").first()
            assert created is not None
            assert created.department_id == world.departments["a"].pk  # never another's

    post()


def _file_name(parts: tuple[str, str]) -> str:
    # The test client needs a name it can send; the server sees whatever this yields.
    stem, suffix = parts
    name = stem[:200].replace("/", "_").replace("\\", "_") + suffix
    return name if name.strip(". ") else "x"


def test_the_workbook_upload(world):
    # A city department imports for the items of its provincial counterpart (same code suffix).
    department = world.departments["a"]
    Department.objects.filter(pk=department.pk).update(code="440601-fuzzj")
    province = DepartmentFactory(code="440000-fuzzj", region=department.region.parent)
    item = ApprovalItemFactory(department=province, levels=ApprovalItem.Levels.PROVINCE_CITY_COUNTY)
    client = signed_in(world, "staff_a")
    url = reverse("interchange:import", args=[item.basic_code])
    assert client.get(url).status_code == 200

    @FUZZ
    @given(
        name=st.tuples(texts, st.sampled_from(["", ".xlsx", ".XLSX", ".xlsm", ".exe"])).map(
            _file_name
        ),
        content=st.one_of(
            st.binary(max_size=4096),
            st.binary(max_size=2048).map(lambda b: b"PK\x03\x04" + b),
            st.sampled_from([b"", b"PK\x05\x06" + b"\0" * 18, json.dumps(CORPUS).encode()]),
        ),
    )
    def post(name: str, content: bytes) -> None:
        versions = StandardVersion.objects.count()
        response = client.post(url, {"workbook": SimpleUploadedFile(name, content)})
        assert response.status_code < 500
        assert response.status_code in (200, 422)
        assert StandardVersion.objects.count() == versions  # a dry run at most

    post()
