"""The results page (search and browse), the home page and "most viewed"."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from search.highlight import highlight, snippet
from search.models import ItemView
from search.popularity import most_viewed, record_view
from standards.models import Region
from tests.factories import CityFactory, DepartmentFactory, RegionFactory

from .builders import publish

pytestmark = pytest.mark.django_db
RESULTS = reverse("search:results")


@pytest.fixture
def client(client, settings):
    """English interface text: the Chinese of new messages arrives with the next
    translation merge; code-list labels and data stay Chinese either way."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def listed(response):
    return [row.entry.item_name for row in response.context["rows"]]


def test_results_show_the_facts_of_each_guide(client, template, indexed):
    version = indexed(
        lambda: publish(template, name="食品经营许可", promised_limit=5, charged=True, visits=2)
    )
    response = client.get(RESULTS, {"q": "食品"})
    assert response.status_code == 200
    text = response.text
    item = version.standard.item
    guide = reverse("guides:guide", args=[item.basic_code, version.standard.department.code])
    assert f'href="{guide}"' in text
    assert "<mark>食品</mark>经营许可" in text
    assert version.standard.department.name in text
    assert '<dd class="mb-0">Province</dd>' in text
    assert "5 Working day" in text
    assert ">Charged<" in text
    assert "2 visits" in text
    assert "1 service guide found." in text


def test_immediate_free_and_no_visit(client, template, indexed):
    indexed(lambda: publish(template, name="即办事项", promised_limit=0, charged=False, visits=0))
    text = client.get(RESULTS, {"q": "即办"}).text
    assert ">Immediately<" in text
    assert ">Free of charge<" in text
    assert "0 visits" in text


def test_data_is_escaped_before_it_is_marked(client, template, indexed):
    indexed(
        lambda: publish(
            template,
            name="<script>alert(1)</script>食品",
            department_name="<b>厅</b>",
            materials=["<img src=x onerror=alert(2)>食品材料"],
        )
    )
    text = client.get(RESULTS, {"q": "script 食品 材料"}).text
    assert "<script>alert(1)" not in text
    assert "<img src=x" not in text
    assert "<b>厅</b>" not in text
    assert (
        "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;<mark>食品</mark>" in text
    )
    assert "&lt;img src=x onerror=alert(2)&gt;<mark>食品材料</mark>" in text


def test_highlight_marks_every_occurrence_and_keeps_case():
    assert highlight("Food 食品 FOOD", ["food"]) == "<mark>Food</mark> 食品 <mark>FOOD</mark>"
    # Overlapping terms merge into one mark; a lengthening fold keeps positions.
    assert highlight("食品经营", ["食品", "品经"]) == "<mark>食品经</mark>营"
    assert highlight("İstanbul 食品", ["食品"]) == "İstanbul <mark>食品</mark>"
    assert highlight("a<b", ["<"]) == "a<mark>&lt;</mark>b"
    assert snippet("无关", ["食品"]) is None
    long = "前" * 50 + "食品" + "后" * 50
    assert snippet(long, ["食品"]).startswith("…")


def test_browsing_lists_everything_published_in_name_order(client, template, indexed):
    indexed(lambda: [publish(template, name=n) for n in ("乙许可", "甲许可", "丙许可")])
    response = client.get(RESULTS)
    assert listed(response) == sorted(["乙许可", "甲许可", "丙许可"])
    assert "<mark>" not in response.text


def test_filters(client, template, indexed):
    province = RegionFactory()
    foshan = CityFactory(code="440600", name="佛山市", parent=province)
    nanhai = Region.objects.create(code="440605", name="南海区", level="county", parent=foshan)
    county_department = DepartmentFactory(region=nanhai, name="南海区市场监管局")
    city_department = DepartmentFactory(region=foshan, name="佛山市市场监管局")

    def build():
        publish(template, name="县级许可", department=county_department, themes_person=["005"])
        publish(template, name="市级确认", department=city_department, item_type="07")
        publish(template, name="省级许可", themes_enterprise=["010"])

    indexed(build)

    def names(**params):
        response = client.get(RESULTS, params)
        assert response.status_code == 200
        return sorted(listed(response))

    assert names(region="440600") == ["县级许可", "市级确认"]
    assert names(region="440605") == ["县级许可"]
    assert names(region="440000") == ["县级许可", "市级确认", "省级许可"]
    assert names(level="county") == ["县级许可"]
    assert names(level="province") == ["省级许可"]
    assert names(item_type="07") == ["市级确认"]
    assert names(theme_person="005") == ["县级许可"]
    assert names(theme_enterprise="010") == ["省级许可"]
    assert names(department=city_department.code) == ["市级确认"]
    assert names(q="许可", level="county") == ["县级许可"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "galaxy"}, "level"),
        ({"item_type": "99"}, "item_type"),
        ({"region": "999999"}, "region"),
        ({"department": "nowhere"}, "department"),
        ({"q": "食" * 101}, "q"),
        ({"q": " ".join("一二三四五六七八九")}, "q"),
    ],
)
def test_bad_parameters_get_a_message_at_the_field(client, params, field):
    response = client.get(RESULTS, params)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert f'id="id_{field}_error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert response.context.get("page") is None


def test_the_query_is_validated_with_a_clear_message(client):
    response = client.get(RESULTS, {"q": " ".join("一二三四五六七八九")})
    assert "Use at most 8 words." in response.text


def test_pages(client, template, indexed):
    indexed(lambda: [publish(template, name=f"许可{n:02d}") for n in range(25)])
    first = client.get(RESULTS, {"q": "许可"})
    second = client.get(RESULTS, {"q": "许可", "page": 2})
    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 5
    assert "q=%E8%AE%B8%E5%8F%AF&amp;page=2" in first.text
    assert set(listed(first)).isdisjoint(listed(second))


def test_pages_cross_from_name_matches_to_the_rest(template, indexed):
    from search.query import search

    def build():
        for n in range(3):
            publish(template, name=f"食品{n}")
        for n in range(3):
            publish(template, name=f"其他{n}", materials=["食品检验报告"])

    indexed(build)
    results = search(["食品"])
    assert results.count() == 6
    assert [e.item_name for e in results[2:4]] == ["食品2", "其他0"]
    assert [e.item_name for e in results[0:6]] == [
        "食品0", "食品1", "食品2", "其他0", "其他1", "其他2",
    ]  # fmt: skip


@pytest.mark.parametrize("params", [{"q": "许可"}, {}, {"q": "许可证书", "level": "province"}])
def test_results_query_count_is_flat(
    client, template, indexed, django_assert_max_num_queries, params
):
    def grow(count):
        indexed(lambda: [publish(template, name=f"许可证书{n}") for n in range(count)])

    grow(5)
    with django_assert_max_num_queries(8) as first:
        client.get(RESULTS, params)
    grow(10)
    with django_assert_max_num_queries(8) as second:
        response = client.get(RESULTS, params)
    assert len(response.context["rows"]) == 15
    assert len(second.captured_queries) == len(first.captured_queries)


def test_home_page(client, template, indexed):
    def build():
        food = publish(template, name="食品经营许可", themes_enterprise=["010"])
        publish(template, name="药品零售许可", themes_person=["005"], item_type="07")
        return food

    food = indexed(build)
    record_view(food.standard_id)
    response = client.get(reverse("guides:home"))
    assert response.status_code == 200
    text = response.text
    assert 'action="/search/"' in text
    assert f"?department={food.standard.department.code}" in text
    assert "?item_type=01" in text and "Administrative licensing" in text
    assert "?item_type=07" in text and "Administrative confirmation" in text
    assert "?theme_enterprise=010" in text and "Market access and operation" in text
    assert "?theme_person=005" in text and "Birth and adoption" in text
    assert "?level=province" in text
    assert [row.entry.item_name for row in response.context["most_viewed"]] == ["食品经营许可"]


def test_home_page_is_chinese_by_default(template, indexed, db):
    from django.test import Client

    indexed(lambda: publish(template, name="食品经营许可", item_type="07"))
    text = Client().get(reverse("guides:home")).text
    assert 'lang="zh-Hans"' in text
    assert "行政确认" in text


def test_home_page_query_count_is_flat(client, template, indexed, django_assert_num_queries):
    def grow(count):
        versions = indexed(lambda: [publish(template, name=f"事项{n}") for n in range(count)])
        for version in versions:
            record_view(version.standard_id)

    grow(3)
    with django_assert_num_queries(8):
        client.get(reverse("guides:home"))
    grow(6)
    with django_assert_num_queries(8):
        client.get(reverse("guides:home"))


def test_home_page_shows_no_draft(client):
    from tests.factories import VersionFactory

    VersionFactory(standard__item__name="草稿事项", change_note="内部草稿说明")
    text = client.get(reverse("guides:home")).text
    assert "草稿事项" not in text
    assert "内部草稿说明" not in text


def test_record_view_counts_and_ranks(template, indexed):
    first, second = indexed(lambda: [publish(template, name="甲"), publish(template, name="乙")])
    for _ in range(3):
        record_view(second.standard_id)
    record_view(first.standard_id)
    assert ItemView.objects.get(standard_id=second.standard_id).views == 3
    assert [e.item_name for e in most_viewed()] == ["乙", "甲"]


def test_views_of_a_deleted_standard_do_not_lose_the_rest_of_the_batch(template, indexed):
    from search.popularity import flush
    from standards.models import Standard

    version = indexed(lambda: publish(template))
    gone = Standard.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    flush({gone: 4, version.standard_id: 2})
    assert ItemView.objects.get(standard_id=version.standard_id).views == 2
    assert not ItemView.objects.filter(standard_id=gone).exists()


def test_record_view_is_one_statement(template, indexed, django_assert_num_queries):
    version = indexed(lambda: publish(template))
    with django_assert_num_queries(1):
        record_view(version.standard_id)
    with django_assert_num_queries(1):
        record_view(version.standard_id)


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_are_all_counted(template):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs concurrent connections")
    from django.db import connections

    from search.indexing import reindex_standard

    version = publish(template)
    reindex_standard(version.standard_id)
    errors = []

    def view():
        try:
            for _ in range(20):
                record_view(version.standard_id)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=view) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ItemView.objects.get(standard_id=version.standard_id).views == 80
