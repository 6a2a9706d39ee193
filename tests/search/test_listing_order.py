"""Entry keys are places in the listing order; postings, themes and gram counts follow.

Publishing, republishing under another name and withdrawing in any order must
keep the list in (item name, then first indexed) order, also when positions
run out and neighbours are moved (a tiny gap forces that here), and must keep
the per-gram counts equal to what the postings say.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import indexing
from search.models import EntryTheme, Gram, GramCount, SearchEntry
from search.query import search
from standards.models import StandardVersion
from tests.factories import UserFactory

from .builders import publish

pytestmark = pytest.mark.django_db

NAMES = st.text(alphabet="甲乙丙aB", min_size=1, max_size=3)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("publish"), NAMES),
        st.tuples(st.just("rename"), st.integers(0, 15), NAMES),
        st.tuples(st.just("withdraw"), st.integers(0, 15)),
    ),
    min_size=1,
    max_size=14,
)


def republish(template, version, name, user):
    """A new version of the same standard under `name`; the previous one is superseded."""
    item = version.standard.item
    item.name = name
    item.save()
    version.state = StandardVersion.State.SUPERSEDED
    version.save()
    standard, number = version.standard, version.number + 1
    return publish(template, standard=standard, number=number, user=user, themes_person=["01"])


def withdraw(version):
    version.state = StandardVersion.State.WITHDRAWN
    version.save()


def gram_counts():
    counts = GramCount.objects.exclude(entries=0, in_names=0)
    return set(counts.values_list("gram", "entries", "in_names"))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS, gap=st.sampled_from([2, 3, indexing.GAP]))
def test_the_list_stays_in_name_order(template, django_capture_on_commit_callbacks, steps, gap):
    user = UserFactory(department=None)
    with pytest.MonkeyPatch.context() as patch, transaction.atomic():
        patch.setattr(indexing, "GAP", gap)
        patch.setattr(indexing, "MIN_SPACING", min(gap, indexing.MIN_SPACING))
        versions = []
        listed = {}  # standard id -> (name, when it took its place)
        for step, (action, *args) in enumerate(steps):
            with django_capture_on_commit_callbacks(execute=True):
                if action == "publish":
                    version = publish(template, name=args[0], user=user, themes_person=["01"])
                    versions.append(version)
                    listed[version.standard_id] = (args[0], step)
                    continue
                if not versions:
                    continue
                index = args[0] % len(versions)
                version = versions[index]
                if version.state != StandardVersion.State.PUBLISHED:
                    continue
                if action == "withdraw":
                    withdraw(version)
                    del listed[version.standard_id]
                else:
                    versions[index] = republish(template, version, args[1], user)
                    name, since = listed[version.standard_id]
                    # A new name is a new place; the same name keeps its place.
                    listed[version.standard_id] = (args[1], since if name == args[1] else step)
        expected = sorted(listed, key=lambda standard: listed[standard])
        assert list(SearchEntry.objects.values_list("standard_id", flat=True)) == expected
        assert [entry.standard_id for entry in search([])[:100]] == expected
        for entry in SearchEntry.objects.all():
            postings = set(Gram.objects.filter(entry=entry).values_list("code", flat=True))
            assert postings == {posting.code for posting in indexing.postings_of(entry)}
        assert EntryTheme.objects.count() == len(expected)
        kept = gram_counts()
        indexing.recount_grams()
        assert kept == gram_counts()
        transaction.set_rollback(True)
