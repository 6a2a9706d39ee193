"""Two people editing one version: the second save of a section is refused, nothing is lost."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from standards.models import Material, Service, StandardVersion
from standards.roles import Role, ensure_role_groups
from tests.content import fill_version
from tests.factories import UserFactory, VersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def browser_for(version, name):
    user = UserFactory(username=name, department=version.standard.department)
    user.groups.set([ensure_role_groups()[Role.DEPARTMENT_STAFF]])
    client = Client()
    client.force_login(user)
    return client


def form_state(client, version, code):
    """What the browser holds after opening the section: every input's current value."""
    page = client.get(reverse("standards:section", args=[version.pk, code])).text
    return form_state_from(page)


def save(client, version, code, data):
    return client.post(reverse("standards:section", args=[version.pk, code]), data)


@pytest.fixture
def version():
    version = VersionFactory()
    fill_version(version, rows_per_group=2)
    return version


def test_the_second_save_of_a_single_field_is_refused_and_shows_the_first(version):
    alice, bob = browser_for(version, "alice"), browser_for(version, "bob")
    alice_form, bob_form = form_state(alice, version, "E12"), form_state(bob, version, "E12")
    alice_form["service-office_hours"] = "工作日 9:00-12:00，13:30-17:30"
    assert save(alice, version, "E12", alice_form).status_code == 302
    bob_form["service-office_hours"] = "工作日 8:30-12:00"
    response = save(bob, version, "E12", bob_form)
    assert response.status_code == 409
    assert "工作日 9:00-12:00，13:30-17:30" in response.text  # what Alice changed
    assert 'value="工作日 8:30-12:00"' in response.text  # what Bob typed, kept
    assert Service.objects.get(version=version).office_hours == "工作日 9:00-12:00，13:30-17:30"
    # Bob re-applies knowingly: the refreshed page is based on Alice's save
    retry = form_state_from(response.text)
    assert save(bob, version, "E12", retry).status_code == 302
    assert Service.objects.get(version=version).office_hours == "工作日 8:30-12:00"


def form_state_from(page):
    """The values a browser would post from this page (checked boxes only)."""
    data = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or 'type="file"' in tag:
            continue
        if 'type="checkbox"' in tag or 'type="radio"' in tag:
            if " checked" in tag:
                data.setdefault(name[1], []).append(value[1] if value else "on")
            continue
        data.setdefault(name[1], value[1] if value else "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = body.strip()
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = chosen[0] if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return {
        k: v.replace("&amp;", "&").replace("&quot;", '"') if isinstance(v, str) else v
        for k, v in data.items()
    }


def test_the_second_save_of_a_row_is_refused(version):
    alice, bob = browser_for(version, "alice"), browser_for(version, "bob")
    alice_form, bob_form = form_state(alice, version, "E05"), form_state(bob, version, "E05")
    alice_form["material-0-name"] = "营业执照副本"
    assert save(alice, version, "E05", alice_form).status_code == 302
    bob_form["material-0-name"] = "法定代表人身份证明"
    response = save(bob, version, "E05", bob_form)
    assert response.status_code == 409
    assert "营业执照副本" in response.text
    assert 'value="法定代表人身份证明"' in response.text
    assert Material.objects.filter(version=version, name="营业执照副本").exists()


def test_a_row_removed_by_someone_else_is_reported(version):
    alice, bob = browser_for(version, "alice"), browser_for(version, "bob")
    alice_form, bob_form = form_state(alice, version, "E05"), form_state(bob, version, "E05")
    alice_form["material-1-DELETE"] = "on"
    assert save(alice, version, "E05", alice_form).status_code == 302
    bob_form["material-1-remarks"] = "原件核验后退还"
    response = save(bob, version, "E05", bob_form)
    assert response.status_code == 409
    assert Material.objects.filter(version=version).count() == 1


def test_saves_of_different_sections_do_not_block_each_other(version):
    alice, bob = browser_for(version, "alice"), browser_for(version, "bob")
    alice_form, bob_form = form_state(alice, version, "E12"), form_state(bob, version, "E05")
    alice_form["service-office_hours"] = "工作日 9:00-17:00"
    assert save(alice, version, "E12", alice_form).status_code == 302
    bob_form["material-0-remarks"] = "加盖公章"
    assert save(bob, version, "E05", bob_form).status_code == 302
    version.refresh_from_db()
    assert version.edit_count == 2
    assert StandardVersion.objects.get(pk=version.pk).last_edited_by.username == "bob"


def test_a_tampered_base_is_treated_as_a_conflict_when_the_section_changed(version):
    alice, bob = browser_for(version, "alice"), browser_for(version, "bob")
    alice_form, bob_form = form_state(alice, version, "E12"), form_state(bob, version, "E12")
    alice_form["service-office_hours"] = "工作日 9:00-17:00"
    assert save(alice, version, "E12", alice_form).status_code == 302
    bob_form["base"] = "forged"
    assert save(bob, version, "E12", bob_form).status_code == 409
