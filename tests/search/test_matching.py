"""Search results equal a case-insensitive substring match over the same text."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.models import SearchEntry
from search.query import search
from search.text import query_terms
from tests.factories import UserFactory

from .builders import publish

pytestmark = pytest.mark.django_db

# A small alphabet, so that a text often holds every bigram of a longer term
# without the term itself: Chinese, both cases of Latin letters, LIKE's own
# wildcards and escape, and characters whose lower case is special (İ
# lengthens, the Kelvin sign becomes "k", Σ has a final form).
ALPHABET = "食品经营许可 AaKk%_\\İiΣσςK、"
# Fewer letters still: nearly every bigram is somewhere in the text.
TINY = "食品 Aa"


def lower(value: str) -> str:
    """The oracle's own case folding: each character lower-cased on its own."""
    return "".join(char.lower() for char in value)


def oracle(documents: list[list[str]], query: str) -> set[int]:
    found = set()
    for index, fields in enumerate(documents):
        haystack = lower("\n".join(fields))
        if all(lower(term) in haystack for term in query.split()):
            found.add(index)
    return found


def ranked(documents: list[list[str]], query: str) -> list[int]:
    """The oracle's matches in ADR 0009's order: name matches first, then the
    rest, each by item name and then in the order the items were published."""

    def key(index: int) -> tuple[bool, str, int]:
        name, common = documents[index][:2]
        names = lower(f"{name}\n{common}")
        return (not all(lower(term) in names for term in query.split()), name, index)

    return sorted(oracle(documents, query), key=key)


@st.composite
def catalogue_and_query(draw):
    alphabet = draw(st.sampled_from([ALPHABET, TINY]))
    text = st.text(alphabet=alphabet, min_size=0, max_size=24)
    documents = draw(
        st.lists(
            st.tuples(
                st.text(alphabet=alphabet, min_size=1, max_size=20).filter(str.strip),
                text,
                st.text(alphabet=alphabet, min_size=1, max_size=20),
                st.lists(text, max_size=2),
                st.lists(text, max_size=2),
            ),
            min_size=1,
            max_size=5,
        )
    )
    fields = [f for d in documents for f in (d[0], d[1], d[2], *d[3], *d[4]) if f]
    from_data = st.sampled_from(fields).flatmap(
        lambda f: st.integers(0, len(f) - 1).flatmap(
            lambda start: st.integers(start + 1, min(len(f), start + 4)).map(
                lambda end: f[start:end]
            )
        )
    )
    term = st.one_of(
        from_data,
        from_data.map(str.swapcase),
        # Two fragments joined: every bigram may occur without the whole term.
        st.tuples(from_data, from_data).map("".join),
        st.text(alphabet=alphabet, min_size=1, max_size=4),
    ).filter(lambda t: t.strip())
    query = draw(st.lists(term, min_size=1, max_size=3).map(" ".join))
    return documents, query


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=catalogue_and_query(), split=st.integers(0, 6))
def test_results_equal_a_substring_scan(template, django_capture_on_commit_callbacks, case, split):
    documents, query = case
    user = UserFactory(department=None)
    with transaction.atomic():
        ids = {}
        with django_capture_on_commit_callbacks(execute=True):
            for index, (name, common, department, conditions, materials) in enumerate(documents):
                version = publish(
                    template,
                    name=name,
                    common_name=common,
                    department_name=department,
                    conditions=conditions,
                    materials=materials,
                    user=user,
                )
                ids[version.standard_id] = index
        assert SearchEntry.objects.count() == len(documents)
        texts = [
            [name, common, department, *conditions, *materials]
            for name, common, department, conditions, materials in documents
        ]
        results = search(query_terms(query))
        found = [ids[entry.standard_id] for entry in results[:100]]
        assert found == ranked(texts, query)
        assert results.count() == len(found)
        # A page boundary anywhere, also between name matches and the rest.
        assert [ids[e.standard_id] for e in [*results[:split], *results[split:100]]] == found
        transaction.set_rollback(True)


@pytest.fixture
def catalogue(template, indexed):
    def build():
        return {
            "food": publish(template, name="食品经营许可", common_name="开餐馆办证"),
            "drug": publish(template, name="药品零售企业许可", materials=["营业执照复印件"]),
            "school": publish(template, name="民办学校设立审批", conditions=["有合格的教师"]),
            "latin": publish(template, name="ICP备案 Licence"),
            "bigrams": publish(template, name="品经营的食品"),
        }

    return indexed(build)


def names(query):
    return sorted(e.item_name for e in search(query_terms(query))[:50])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("食", ["品经营的食品", "食品经营许可"]),
        ("许", ["药品零售企业许可", "食品经营许可"]),
        ("品", ["品经营的食品", "药品零售企业许可", "食品经营许可"]),
        ("食品", ["品经营的食品", "食品经营许可"]),
        ("许可", ["药品零售企业许可", "食品经营许可"]),
        ("餐馆", ["食品经营许可"]),  # common name
        ("执照", ["药品零售企业许可"]),  # material
        ("教师", ["民办学校设立审批"]),  # condition
        ("licence", ["ICP备案 Licence"]),
        ("icp", ["ICP备案 Licence"]),
        ("经营许可", ["食品经营许可"]),
        ("品许", []),  # both characters occur, never side by side
        ("食品经营", ["食品经营许可"]),  # not 品经营的食品: every bigram, never in a row
        ("食品 许可", ["食品经营许可"]),
        ("食品 药品", []),
    ],
)
def test_short_chinese_queries(catalogue, query, expected):
    assert names(query) == expected


def test_a_one_character_query_finds_the_department(template, indexed):
    indexed(lambda: publish(template, name="某某许可", department_name="广东省教育厅"))
    assert names("教") == ["某某许可"]


def test_name_matches_come_first(template, indexed):
    indexed(
        lambda: [
            publish(template, name="甲事项", materials=["食品检验报告"]),
            publish(template, name="乙食品许可"),
        ]
    )
    assert [e.item_name for e in search(["食品"])[:10]] == ["乙食品许可", "甲事项"]


def test_a_draft_is_never_found(template):
    from tests.factories import VersionFactory

    VersionFactory(standard__item__name="草稿食品许可")
    assert names("草稿") == []
    assert SearchEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "queries", "count"),
    [
        # The gram counts, then one range of a posting list: nothing counted.
        ("食品", 2, 2),
        # Counts, one query counting both parts, the name matches' page.
        ("经营许可", 3, 1),
        # A gram no entry holds ends the search at the counts.
        ("无此", 1, 0),
    ],
)
def test_queries_a_search_runs(catalogue, django_assert_num_queries, query, queries, count):
    with django_assert_num_queries(queries):
        results = search(query_terms(query))
        assert results.count() == count
        assert len(results[0:20]) == count
