"""Findings beside fields, uploads through the editor, downloads, page budgets, help texts."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import Document, StandardVersion
from standards.registry import REGISTRY
from standards.roles import Role, ensure_role_groups
from standards.services.editing import registry_section
from standards.snapshot import snapshot
from tests.content import fill_version
from tests.editor_posting import post_section, section_post_data
from tests.factories import DepartmentFactory, UserFactory, VersionFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def staff_client(department, name="staff"):
    user = UserFactory(username=name, department=department)
    user.groups.set([ensure_role_groups()[Role.DEPARTMENT_STAFF]])
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_every_field_has_chinese_and_english_help():
    assert all(f.help_zh and f.help_en for f in REGISTRY)


@pytest.mark.django_db
def test_a_rule_finding_is_shown_beside_the_field_of_its_row(media):
    version = VersionFactory()
    fill_version(version)
    content = snapshot(version)["content"]
    content["service"]["E12.07"] = content["service"]["E12.02"]  # same phone twice: rule R30b
    browser = staff_client(version.standard.department)
    data = section_post_data(version, registry_section("E12"), content)
    assert post_section(browser, version, "E12", data).status_code == 302
    page = browser.get(reverse("standards:section", args=[version.pk, "E12"])).text
    beside = re.search(
        r'id="id_service-complaint_phone_helptext"[^>]*>.*?<span class="finding[^"]*"[^>]*>R30b ',
        page,
        re.S,
    )
    assert beside, "the finding is not under the complaint phone input"
    assert "R30b" in page.split('class="card mb-3 findings-summary"')[1]


@pytest.mark.django_db
def test_an_upload_with_the_wrong_content_is_refused_at_the_field(media):
    version = VersionFactory()
    fill_version(version)
    browser = staff_client(version.standard.department)
    data = section_post_data(version, registry_section("E13"), snapshot(version)["content"])
    data["document-0-blank_template"] = SimpleUploadedFile("表格.pdf", b"<html>not a pdf</html>")
    response = post_section(browser, version, "E13", data)
    assert response.status_code == 422
    assert 'id="id_document-0-blank_template_error"' in response.text


@pytest.mark.django_db
def test_a_good_upload_is_stored_under_a_generated_name_and_served_to_staff(media):
    version = VersionFactory()
    fill_version(version)
    browser = staff_client(version.standard.department)
    data = section_post_data(version, registry_section("E13"), snapshot(version)["content"])
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    data["document-0-blank_template"] = SimpleUploadedFile("../../申请书<script>.pdf", pdf)
    assert post_section(browser, version, "E13", data).status_code == 302
    document = Document.objects.get(version=version)
    assert re.fullmatch(r"standards/content/[0-9a-f]{32}\.pdf", document.blank_template.name)
    url = reverse("standards:file", args=[version.pk, "E13.04", document.uid])
    response = browser.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" in disposition
    assert "<" not in disposition and "/" not in disposition.split("filename*")[0]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_files_of_another_departments_draft_are_not_served(media):
    version = VersionFactory()
    fill_version(version)
    document = Document.objects.get(version=version)
    outsider = staff_client(DepartmentFactory(), name="outsider")
    url = reverse("standards:file", args=[version.pk, "E13.04", document.uid])
    assert outsider.get(url).status_code == 404
    insider = staff_client(version.standard.department)
    assert (
        insider.get(
            reverse("standards:file", args=[version.pk, "E13.01", document.uid])
        ).status_code
        == 404
    )


@pytest.fixture(scope="module")
def sample_version(django_db_setup, django_db_blocker, tmp_path_factory):
    """The 药品零售 sample (many rows) loaded once for this module."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        load_sample(FIXTURES / "samples" / "drug_retail_licence.yaml")
        yield StandardVersion.objects.get()
        transaction.set_rollback(True)


def test_no_editor_page_uses_more_than_30_queries(
    sample_version, db, django_assert_max_num_queries
):
    browser = staff_client(sample_version.standard.department)
    for section in REGISTRY.sections:
        with django_assert_max_num_queries(30):
            response = browser.get(
                reverse("standards:section", args=[sample_version.pk, section.code])
            )
        assert response.status_code == 200, section.code


def test_the_sample_has_no_blocking_finding_in_the_editor(sample_version, db):
    browser = staff_client(sample_version.standard.department)
    page = browser.get(reverse("standards:section", args=[sample_version.pk, "B00"])).text
    panel = page.partition("findings-summary")[2].partition("</details>")[0]
    assert "text-bg-warning" in panel  # the sample's advisory findings are listed
    assert "text-bg-danger" not in panel
