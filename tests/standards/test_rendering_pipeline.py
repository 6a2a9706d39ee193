"""Publishing renders and stores the PDFs; guides and manuals are served from them."""

from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.tasks import default_task_backend
from django.test import Client, override_settings
from django.urls import reverse
from pypdf import PdfReader

from standards.loading.demo_users import create_demo_users
from standards.loading.demo_workflow import run_demo_workflow
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import RenderedDocument, StandardVersion, User
from standards.services import workflow
from standards.services.rendering import render_documents

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker, tmp_path_factory):
    """The food sample published through the workflow, its PDFs rendered once."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
        load_sample(FIXTURES / "samples" / "construction_permit.yaml")
        create_demo_users("demo-2026")
        default_task_backend.clear()
        with django_db_blocker.unblock():
            run_demo_workflow()
        version = StandardVersion.objects.get(state="published")
        documents = render_documents(version)
        yield version, documents, media
        transaction.set_rollback(True)


def client_for(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_publishing_enqueues_the_rendering_task_after_commit(
    published, db, django_capture_on_commit_callbacks
):
    version = StandardVersion.objects.get(standard__department__code="440000-zjt")
    reviewer = User.objects.get(username="reviewer")
    leader = User.objects.get(username="province_leader")
    workflow.start_review(version=version, user=reviewer)
    workflow.approve_filing(version=version, user=reviewer)
    workflow.confirm(version=version, user=leader)
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(version=version, user=leader)
    enqueued = [
        r for r in default_task_backend.results if r.task.name == "render_published_documents"
    ]
    assert [list(r.args) for r in enqueued] == [[version.pk]]


def test_both_pdfs_are_stored_with_their_hashes(published, db):
    version, documents, media = published
    assert {d.kind for d in documents} == {"guide", "manual"}
    with override_settings(MEDIA_ROOT=media):
        kinds = {d.kind: d for d in RenderedDocument.objects.filter(version=version)}
        assert set(kinds) == {"guide", "manual"}
        for document in kinds.values():
            assert document.snapshot_sha256 == version.published_snapshot.sha256
            with document.file.open("rb") as handle:
                content = handle.read()
            assert len(content) == document.size
            assert len(PdfReader(BytesIO(content)).pages) >= 1


def test_the_public_guide_page_and_pdf_are_served(published, db):
    version, _documents, media = published
    item, department = version.standard.item, version.standard.department
    with override_settings(MEDIA_ROOT=media):
        page = Client().get(reverse("guides:guide", args=[item.basic_code, department.code]))
        assert page.status_code == 200
        assert item.name in page.text
        pdf = Client().get(reverse("guides:guide_pdf", args=[item.basic_code, department.code]))
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        assert "filename*=UTF-8''" in pdf["Content-Disposition"]
        text = "".join(
            p.extract_text() for p in PdfReader(BytesIO(b"".join(pdf.streaming_content))).pages
        )
        assert item.name in text.replace("\n", "")


def test_a_standard_that_is_not_published_has_no_public_guide(published, db):
    draft = StandardVersion.objects.exclude(state="published").first()
    url = reverse(
        "guides:guide", args=[draft.standard.item.basic_code, draft.standard.department.code]
    )
    assert Client().get(url).status_code == 404


def test_the_manual_is_served_to_the_department_only(published, db):
    version, _documents, media = published
    url = reverse("standards:manual_pdf", args=[version.pk])
    with override_settings(MEDIA_ROOT=media):
        response = client_for("nanhai_staff").get(url)
        assert response.status_code == 200
        assert (
            "业务手册" in response["Content-Disposition"]
            or "filename*" in response["Content-Disposition"]
        )
    assert client_for("foshan_staff").get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_staff_can_preview_a_drafts_guide_as_pdf(published, db):
    draft = StandardVersion.objects.get(standard__department__code="440000-zjt")
    url = reverse("standards:preview_guide", args=[draft.pk])
    response = client_for("province_staff").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert len(PdfReader(BytesIO(response.content)).pages) >= 1
    assert client_for("nanhai_staff").get(url).status_code == 404


def test_the_bulk_command_renders_every_published_version_again(published, db):
    _version, _documents, media = published
    out = StringIO()
    with override_settings(MEDIA_ROOT=media):
        call_command("render_documents", "--workers", "1", stdout=out)
    assert "Rendered 1 of 1; 0 failed." in out.getvalue()
