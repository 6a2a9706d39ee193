"""The drift report (sorting, CSV, scope, flat queries), the adoption list and bulk adoption."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from adoption.models import Adoption, AdoptionBatch, Override
from adoption.services.adopting import adopt
from adoption.services.batch import run_batch, start_batch
from tests.adoption.conftest import template_standard


def adopt_with_overrides(world, count, who="county"):
    user = world["people"][who]
    for index in range(count):
        template = template_standard(world, name=f"模板事项{who}{index}")
        adoption = adopt(template=template, user=user)
        Override.objects.create(
            adoption=adoption, field_code="B00.03", reason=f"理由{index}", created_by=user
        )


def test_drift_report_lists_departures_with_reasons_sorted(world, client):
    adopt_with_overrides(world, 2, "county")
    adopt_with_overrides(world, 1, "city")
    client.force_login(world["people"]["reviewer"])
    page = client.get(reverse("adoption:drift"), {"sort": "adopter"})
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r.adopter for r in rows] == sorted(r.adopter for r in rows)
    assert {r.reason for r in rows} == {"理由0", "理由1"}
    assert len(rows) == 3
    descending = client.get(reverse("adoption:drift"), {"sort": "adopter", "dir": "desc"})
    assert [r.adopter for r in descending.context["rows"]] == [r.adopter for r in rows][::-1]


def test_drift_csv_has_chinese_headers_and_is_formula_safe(world, client):
    user = world["people"]["county"]
    adoption = adopt(template=template_standard(world), user=user)
    Override.objects.create(
        adoption=adoption, field_code="B00.03", reason='=HYPERLINK("x")', created_by=user
    )
    client.force_login(world["people"]["reviewer"])
    response = client.get(reverse("adoption:drift"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["模板事项", "模板制定部门", "采用部门"]
    assert rows[1][6] == '\'=HYPERLINK("x")'


def test_drift_scope_of_departments(world, client):
    adopt_with_overrides(world, 1, "county")
    adopt_with_overrides(world, 1, "city")
    client.force_login(world["people"]["county"])
    rows = client.get(reverse("adoption:drift")).context["rows"]
    assert {r.adopter for r in rows} == {world["departments"]["county"].name}
    client.force_login(world["people"]["other"])
    assert client.get(reverse("adoption:drift")).context["rows"] == []
    client.logout()
    assert client.get(reverse("adoption:drift")).status_code == 302


def _count(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(40) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_drift_report_queries_stay_flat(world, client, django_assert_max_num_queries):
    client.force_login(world["people"]["reviewer"])
    url = reverse("adoption:drift")
    adopt_with_overrides(world, 2)
    client.get(url)  # the session's first request settles
    small = _count(client, url, django_assert_max_num_queries)
    adopt_with_overrides(world, 2, "city")
    large = _count(client, url, django_assert_max_num_queries)
    assert Override.objects.count() == 4
    assert small == large


def test_adoption_list_queries_stay_flat(world, client, django_assert_max_num_queries):
    client.force_login(world["people"]["county"])
    url = reverse("adoption:home")
    adopt_with_overrides(world, 2)
    template_standard(world, name="未采用模板A")
    client.get(url)
    small = _count(client, url, django_assert_max_num_queries)
    adopt_with_overrides(world, 2)
    template_standard(world, name="未采用模板B")
    large = _count(client, url, django_assert_max_num_queries)
    assert Adoption.objects.count() == 4
    assert small == large


def test_bulk_adoption_counts_progress_and_notes_problems(
    world, client, django_capture_on_commit_callbacks
):
    county = world["people"]["county"]
    templates = [template_standard(world, name=f"批量{i}") for i in range(3)]
    city_only = template_standard(world, name="仅市级", levels="province_city")
    adopt(template=templates[0], user=county)  # adopted already: a problem, not a failure
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = start_batch(user=county, template_ids=[t.pk for t in templates] + [city_only.pk])
    assert len(callbacks) == 1  # the task is enqueued after the commit
    assert batch.total == 4 and batch.done == 0
    finished = run_batch(batch.pk)  # the task's body, run here directly
    assert finished.state == AdoptionBatch.State.FINISHED
    assert finished.done == 4
    assert len(finished.problems) == 2
    assert Adoption.objects.filter(standard__department=county.department).count() == 3

    client.force_login(county)
    status = client.get(reverse("adoption:batch_status", args=[batch.pk])).json()
    assert status == {
        "state": "finished",
        "done": 4,
        "total": 4,
        "percent": 100,
        "problems": finished.problems,
    }
    client.force_login(world["people"]["city"])
    assert client.get(reverse("adoption:batch_status", args=[batch.pk])).status_code == 404


def test_bulk_adoption_page_only_for_local_departments(world, client):
    template = template_standard(world)
    client.force_login(world["people"]["province"])
    assert (
        client.post(reverse("adoption:adopt_many"), {"templates": [template.pk]}).status_code == 403
    )
    client.force_login(world["people"]["county"])
    response = client.post(reverse("adoption:adopt_many"), {"templates": [template.pk]})
    assert response.status_code == 302
    assert AdoptionBatch.objects.get().total == 1
