"""The catalogue and the field registry: public, paginated, filtered, flat in queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards.models import ApprovalItem, Region
from standards.registry import REGISTRY, Audience
from tests.api.conftest import client_for
from tests.factories import ApprovalItemFactory, CityFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def get(url, **query):
    response = client_for().get(url, query)
    assert response.status_code == 200, response.content
    return response.json()


def queries_for(url):
    with CaptureQueriesContext(connection) as captured:
        assert client_for().get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("api:items", lambda n: ApprovalItemFactory.create_batch(n, parent=ApprovalItemFactory())),
        ("api:departments", lambda n: DepartmentFactory.create_batch(n, region=CityFactory())),
        ("api:regions", lambda n: CityFactory.create_batch(n)),
    ],
)
def test_lists_cost_the_same_queries_for_n_and_2n_rows(name, make):
    make(6)
    small = queries_for(reverse(name))
    make(6)
    large = queries_for(reverse(name))
    assert large == small <= 3


def test_items_filter_by_department_level_and_type():
    department = DepartmentFactory()
    county_item = ApprovalItemFactory(
        department=department, levels=ApprovalItem.Levels.PROVINCE_COUNTY, item_type="07"
    )
    province_item = ApprovalItemFactory(department=department)
    ApprovalItemFactory()
    codes = lambda body: [i["basic_code"] for i in body["results"]]  # noqa: E731
    url = reverse("api:items")
    assert codes(get(url, department=department.code)) == sorted(
        [county_item.basic_code, province_item.basic_code]
    )
    assert codes(get(url, department=department.code, level="county")) == [county_item.basic_code]
    assert codes(get(url, type="07")) == [county_item.basic_code]
    item = get(reverse("api:item", args=[county_item.basic_code]))
    assert item["department"] == department.code and item["item_type_label"] == "行政确认"
    english = client_for().get(reverse("api:item", args=[county_item.basic_code]), {"lang": "en"})
    assert english.json()["item_type_label"] == "Administrative confirmation"


def test_departments_and_regions_filter_by_region_and_level():
    city = CityFactory()
    in_city = DepartmentFactory(region=city)
    DepartmentFactory()
    body = get(reverse("api:departments"), region=city.code)
    assert [d["code"] for d in body["results"]] == [in_city.code]
    assert get(reverse("api:departments"), level="city")["count"] == 1
    assert [r["code"] for r in get(reverse("api:regions"), level="city")["results"]] == [city.code]
    assert get(reverse("api:region", args=[city.code]))["parent"] == city.parent.code
    assert get(reverse("api:regions"), parent=city.parent.code)["count"] == 1
    assert Region.objects.count() == 2


def test_pages_hold_page_size_rows_and_link_the_next():
    ApprovalItemFactory.create_batch(5)
    body = get(reverse("api:items"), page_size=2)
    assert body["count"] == 5 and len(body["results"]) == 2 and "page=2" in body["next"]
    assert client_for().get(reverse("api:items"), {"page": 99}).status_code == 404


def test_unknown_objects_are_404_with_a_structured_error():
    response = client_for().get(reverse("api:item", args=["000000000000"]))
    assert response.status_code == 404
    [error] = response.json()["errors"]
    assert error["code"] == "not_found" and error["message"]


def test_the_registry_lists_every_field_with_its_audience():
    url = reverse("api:fields")
    body = get(url, page_size=200)
    assert body["count"] == len(REGISTRY) == 315
    field = get(reverse("api:field", args=["E05.07"]))
    assert field == {
        **field,
        "code": "E05.07",
        "group": "material",
        "repeats": True,
        "type": "text",
        "audience": REGISTRY["E05.07"].audience.value,
        "label_zh": REGISTRY["E05.07"].label_zh,
    }
    manual = get(url, audience="manual", page_size=200)
    assert manual["count"] == sum(1 for f in REGISTRY if f.audience is Audience.MANUAL)
    assert {f["section"] for f in get(url, section="E05", page_size=200)["results"]} == {"E05"}
    assert client_for().get(reverse("api:field", args=["Z00.00"])).status_code == 404


def test_sections_and_code_lists_come_from_the_registry():
    sections = get(reverse("api:sections"))
    assert [s["code"] for s in sections] == [s.code for s in REGISTRY.sections]
    codelists = get(reverse("api:codelists"))
    assert {c["name"] for c in codelists} == set(REGISTRY.codelists)
    item_type = get(reverse("api:codelist", args=["item_type"]), lang="en")
    assert item_type["codes"][0] == {
        "code": "01",
        "label_zh": "行政许可",
        "label_en": "Administrative licensing",
        "label": "Administrative licensing",
    }
    assert client_for().get(reverse("api:codelist", args=["nope"])).status_code == 404


def test_the_registry_reads_no_database():
    with CaptureQueriesContext(connection) as captured:
        get(reverse("api:fields"))
        get(reverse("api:codelists"))
    assert len(captured) == 0


def test_detail_responses_carry_etags_for_304():
    item = ApprovalItemFactory()
    url = reverse("api:item", args=[item.basic_code])
    tag = client_for().get(url)["ETag"]
    assert client_for().get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert client_for().get(url, HTTP_IF_NONE_MATCH=f"W/{tag}").status_code == 304
    ApprovalItem.objects.filter(pk=item.pk).update(name="改名")
    assert client_for().get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200


def test_chinese_is_the_default_and_english_is_chosen_by_header_or_query():
    item = ApprovalItemFactory(item_type="01")
    url = reverse("api:item", args=[item.basic_code])
    assert client_for().get(url)["Content-Language"] == "zh-hans"
    english = client_for().get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english["Content-Language"] == "en"
    assert english.json()["item_type_label"] == "Administrative licensing"
    chinese = client_for().get(url, {"lang": "zh-hans"}, HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.json()["item_type_label"] == "行政许可"
    unknown = client_for().get(url, {"lang": "xx"})
    assert unknown["Content-Language"] == "zh-hans"
