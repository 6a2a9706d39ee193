"""The dashboard's figures against counts made independently in the test."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import pytest
from django.urls import reverse

from standards.models import ApprovalItem, ReviewComment, ReviewRound, StandardVersion
from tests.oversight.builders import department, person, review_round, standard, version

State = StandardVersion.State
Reason = ReviewComment.Reason
URL = reverse("oversight:dashboard")


def table(response, slug):
    return next(t for t in response.context["tables"] if t.slug == slug)


def progress_as_dict(found):
    """{department or level: {state label: count}} from the page's table."""
    headers = found.headers
    states = {str(label) for label in State.labels}
    return {
        row[0]: {h: row[i] for i, h in enumerate(headers) if h in states and row[i]}
        for row in found.rows
    }


@pytest.fixture
def world(places):
    """Standards in many states in three regions; what was built, for counting."""
    provincial = department(places["province"], "省住建厅")
    city = department(places["city"], "佛山市局")
    county = department(places["county"], "南海区局")
    elsewhere = department(places["other_city"], "广州市局")
    newest: list[tuple[str, str, str]] = []  # (department, level, state of the newest version)
    plan = {
        provincial: [State.DRAFT, State.SUBMITTED, State.PUBLISHED, State.PUBLISHED],
        city: [State.IN_REVIEW, State.RETURNED, State.PUBLISHED, State.FILED],
        county: [State.CONFIRMED, State.PUBLISHED, State.DRAFT],
        elsewhere: [State.PUBLISHED, State.WITHDRAWN],
    }
    for dept, states in plan.items():
        for state in states:
            version(standard(dept), state)
            newest.append((dept.name, dept.region.level, state))
    # A standard whose newest version is a draft after a published one: counts as a draft.
    std = standard(city)
    version(std, State.PUBLISHED, number=1)
    version(std, State.DRAFT, number=2)
    newest.append((city.name, city.region.level, State.DRAFT))
    return {
        "departments": {
            "provincial": provincial,
            "city": city,
            "county": county,
            "elsewhere": elsewhere,
        },
        "newest": newest,
    }


def expected_progress(newest, key_index, keep):
    counted: dict[str, Counter] = defaultdict(Counter)
    for entry in newest:
        if keep(entry):
            counted[entry[key_index]][str(State(entry[2]).label)] += 1
    return counted


def test_progress_by_department_for_the_provincial_reviewer_counts_every_region(
    client, world, places
):
    client.force_login(person("editorial_reviewer", reviews=[places["province"]]))
    response = client.get(URL)
    assert response.status_code == 200
    found = progress_as_dict(table(response, "progress-department"))
    expected = expected_progress(world["newest"], 0, lambda e: True)
    for name, counts in expected.items():
        row = found[name]
        assert row == dict(counts)
    assert set(found) == set(expected)


def test_the_city_reviewer_sees_the_city_and_its_counties_only(client, world, places):
    client.force_login(person("editorial_reviewer", reviews=[places["city"]]))
    found = progress_as_dict(table(client.get(URL), "progress-department"))
    expected = expected_progress(
        world["newest"], 0, lambda e: e[1] in ("city", "county") and e[0] != "广州市局"
    )
    assert set(found) == {"佛山市局", "南海区局"} == set(expected)
    for name, counts in expected.items():
        assert found[name] == dict(counts)


def test_a_leader_sees_their_own_department_only(client, world):
    county = world["departments"]["county"]
    client.force_login(person("department_leader", department=county))
    response = client.get(URL)
    found = progress_as_dict(table(response, "progress-department"))
    assert list(found) == ["南海区局"]
    expected = expected_progress(world["newest"], 0, lambda e: e[0] == "南海区局")["南海区局"]
    assert found["南海区局"] == dict(expected)


def test_progress_by_level_and_items_without_a_published_standard(client, world, places):
    # Items exercised at the county level only, never published there: each one is missing.
    for _ in range(3):
        ApprovalItem.objects.create(
            basic_code=f"0299900{ApprovalItem.objects.count():05d}"[:12],
            name="县级事项",
            item_type="01",
            levels=ApprovalItem.Levels.COUNTY,
            department=world["departments"]["provincial"],
        )
    client.force_login(person("editorial_reviewer", reviews=[places["province"]]))
    found = table(client.get(URL), "progress-level")
    by_level = {row[0]: row for row in found.rows}
    expected = expected_progress(world["newest"], 1, lambda e: True)
    state_columns = {h: i for i, h in enumerate(found.headers)}
    for level, counts in expected.items():
        label = str(dict(ApprovalItem.Levels.choices).get(level) or level)
        row = next(r for key, r in by_level.items() if key in (label, str(_level_label(level))))
        for state_label, n in counts.items():
            assert row[state_columns[state_label]] == n
    # Independently: items whose level set includes the level and that have no published
    # version at a region of that level.
    items = ApprovalItem.objects.all()
    for level in ("province", "city", "county"):
        missing = [
            item
            for item in items
            if level in item.level_set
            and not StandardVersion.objects.filter(
                standard__item=item, standard__region__level=level, state=State.PUBLISHED
            ).exists()
        ]
        assert by_level[str(_level_label(level))][-1] == len(missing)


def _level_label(level):
    from standards.models import Region

    return Region.Level(level).label


def nearest_rank(values, p):
    ordered = sorted(values)
    return ordered[math.ceil(p * len(ordered)) - 1]


def test_turnaround_median_and_p90_by_round(client, world, places):
    county = world["departments"]["county"]
    hours_round_1 = [2, 30, 50, 7, 100, 12, 65]
    hours_round_2 = [5, 1, 26]
    for index, hours in enumerate(hours_round_1):
        v = version(standard(county), State.RETURNED)
        review_round(v, 1, hours=hours)
        if index < len(hours_round_2):
            review_round(v, 2, hours=hours_round_2[index], outcome=ReviewRound.Outcome.APPROVED)
        else:
            review_round(v, 2, hours=None)  # still open: not decided, not counted
    client.force_login(person("editorial_reviewer", reviews=[places["province"]]))
    rows = table(client.get(URL), "turnaround").rows
    assert [row[:2] for row in rows] == [[1, 7], [2, 3]]
    for row, hours in zip(rows, (hours_round_1, hours_round_2), strict=True):
        assert row[2] == round(nearest_rank(hours, 0.5) / 24, 1)
        assert row[3] == round(nearest_rank(hours, 0.9) / 24, 1)


def test_return_reasons_by_code(client, world, places):
    county, elsewhere = world["departments"]["county"], world["departments"]["elsewhere"]
    v = version(standard(county), State.RETURNED)
    review_round(v, 1, hours=3, reasons=[Reason.TIME_LIMIT, Reason.TIME_LIMIT, Reason.WORDING])
    review_round(v, 2, hours=3, reasons=[Reason.TIME_LIMIT])
    # Approved rounds' suggestions are not return reasons; Guangzhou is outside Foshan.
    review_round(
        version(standard(county), State.FILED),
        1,
        hours=1,
        outcome=ReviewRound.Outcome.APPROVED,
        reasons=[Reason.WORDING],
    )
    review_round(
        version(standard(elsewhere), State.RETURNED), 1, hours=1, reasons=[Reason.FEE_BASIS]
    )
    client.force_login(person("editorial_reviewer", reviews=[places["city"]]))
    rows = table(client.get(URL), "return-reasons").rows
    assert rows == [
        ["time_limit", str(Reason.TIME_LIMIT.label), 3, 2],
        ["wording", str(Reason.WORDING.label), 1, 1],
    ]


def test_reform_effect_compares_first_and_latest_published_versions(client, places):
    county = department(places["county"], "南海区局")
    first = standard(county)
    version(
        first,
        State.SUPERSEDED,
        number=1,
        materials=["甲", "乙", "丙", "丁", "戊"],
        statutory=(20, "1"),
        promised=(14, "2"),
        charged=True,
        fee_items=2,
        intermediaries=1,
    )
    version(first, State.SUPERSEDED, number=2, materials=["甲", "乙", "丙", "丁"])  # in between
    version(
        first,
        State.PUBLISHED,
        number=3,
        materials=["甲", "乙"],
        statutory=(20, "1"),
        promised=(5, "1"),
    )
    version(first, State.DRAFT, number=4, materials=["甲"])  # not published: not counted
    once = standard(county)  # one published version only: first and latest are the same
    version(
        once,
        State.PUBLISHED,
        materials=["子", "丑"],
        statutory=(1, "4"),
        promised=(40, "3"),
        intermediaries=2,
    )
    client.force_login(person("department_leader", department=county))
    found = table(client.get(URL), "reform")
    assert len(found.rows) == 1
    row = dict(zip(found.headers, found.rows[0], strict=True))
    values = list(row.values())
    # Department, standards, then (first, latest) pairs in REFORM_COLUMNS order.
    assert values[0] == "南海区局" and values[1] == 2
    materials, statutory_sum, statutory_avg, promised_sum, promised_avg, charged, fees, inter = (
        tuple(values[i : i + 2]) for i in range(2, 18, 2)
    )
    assert materials == (5 + 2, 2 + 2)
    assert statutory_sum == (20 + 21, 20 + 21)  # a month is 21 working days
    assert statutory_avg == (20.5, 20.5)
    assert promised_sum == (10 + 5, 5 + 5)  # 14 calendar days = 10 working days; 40 h = 5
    assert promised_avg == (7.5, 5)
    assert charged == (1, 0)
    assert fees == (2, 0)
    assert inter == (1 + 2, 0 + 2)


@pytest.mark.parametrize("scale", [1, 2])
def test_the_page_costs_at_most_20_queries_whatever_the_catalogue(
    client, places, django_assert_max_num_queries, scale
):
    states = [State.DRAFT, State.SUBMITTED, State.RETURNED, State.PUBLISHED, State.SUPERSEDED]
    for index in range(8 * scale):
        dept = department(places["county" if index % 2 else "province"])
        std = standard(dept)
        v = version(std, states[index % len(states)], materials=["甲", "乙"], statutory=(20, "1"))
        if index % 5 == 4:
            version(std, State.PUBLISHED, number=2, materials=["甲"])
        review_round(v, 1, hours=index + 1, reasons=[Reason.WORDING])
    user = person("editorial_reviewer", reviews=[places["province"]])
    client.force_login(user)
    with django_assert_max_num_queries(20):
        response = client.get(URL)
    assert response.status_code == 200
    assert sum(row[-1] for row in table(response, "progress-department").rows) == 8 * scale


def test_the_world_has_standards_in_every_region_to_count(world):
    # Guards the tests above against a world that silently has nothing to count.
    assert len(world["newest"]) == 14
    assert {level for _name, level, _state in world["newest"]} == {"province", "city", "county"}
