"""Several processes saving the same version at once: every save lands or is refused, none is lost.

Each worker process acts like an editor in a browser, again and again: it
loads a section (the values and the signed base token, as the page does),
changes one value, and saves through the real forms and
`standards.services.editing.save_section`. Half the saves go to the approval
service section (a single form, E12), half to the materials (a row, E05), so
some saves race on the same section and some pass each other.

Every value a worker writes names the value it saw: `w2n7<w0n3` was written
by worker 2 in round 7 over `w0n3`. After the run, the history of each changed
row must be an unbroken chain — every landed value was written over the one
before it — which is exactly "no update was silently lost". The counts of
landed saves must match the version's edit count and the history rows; the
refused ones must appear nowhere.

PostgreSQL only: the processes need one real database server (the SQLite
test database lives in one process's memory).
"""

import copy
import itertools
import multiprocessing
import random
import time
from collections import Counter

import pytest
from django.db import connection, connections

from standards.models import Material, Service, StandardVersion
from standards.registry import REGISTRY
from standards.roles import Role, ensure_role_groups
from standards.services.editing import (
    EditConflict,
    read_base,
    save_section,
    section_state,
    sign_base,
)
from standards.views.section_page import SectionPage
from tests.content import fill_version
from tests.editor_posting import section_post_data
from tests.factories import UserFactory, VersionFactory

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 4
ROUNDS = 12
# (section code, group, field code, row index or None)
TARGETS = [("E12", "service", "E12.12", None), ("E05", "material", "E05.27", 0)]


def _section(code):
    return next(s for s in REGISTRY.sections if s.code == code)


def _token(value):
    return str(value).split("<", 1)[0]


def _editor(worker, version_pk, user_pk, results):
    """One editor process: ROUNDS load-change-save cycles; reports what landed and what not."""
    from standards.models import User

    # The parent's connections were closed before the fork; open our own.
    connections.close_all()
    rng = random.Random(worker)  # noqa: S311 - timing jitter, not a secret
    landed, refused, errors = [], [], []
    user = User.objects.get(pk=user_pk)
    for n in range(ROUNDS):
        code, group, field, row = TARGETS[(worker + n) % len(TARGETS)]
        section = _section(code)
        try:
            # What the page shows: the version (its edit count), then the section.
            version = StandardVersion.objects.get(pk=version_pk)
            seen = section_state(version, section)
            content = copy.deepcopy(seen)
            values = content[group] if row is None else content[group][row]
            mine = f"w{worker}n{n}"
            values[field] = f"{mine}<{_token(values[field])}"
            data = section_post_data(version, section, content)
            data["base"] = sign_base(seen)  # the base is what this editor saw
            time.sleep(rng.uniform(0, 0.02))  # the editor types
            page = SectionPage(version, section).build(data)
            assert page.is_valid(), page.forms or page.formsets
            save_section(
                user=user,
                version_pk=version_pk,
                section=section,
                data=page.validated_input(),
                base_count=int(data["edit_count"]),
                base_state=read_base(data["base"]),
                uid_to_pk=page.uid_to_pk,
            )
        except EditConflict:
            refused.append((code, mine))
        except Exception as error:  # reported, and the test fails on it
            errors.append(f"{type(error).__name__}: {error}")
        else:
            landed.append((code, mine))
    connections.close_all()
    results.put((worker, landed, refused, errors))


@pytest.fixture
def version(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: worker processes share one database server; the SQLite "
            "test database is in one process's memory (the suite runs on PostgreSQL in CI)"
        )
    settings.MEDIA_ROOT = tmp_path
    version = VersionFactory()
    fill_version(version, rows_per_group=2)
    service = Service.objects.get(version=version)
    service.office_hours = "start"
    service.save()
    material = Material.objects.filter(version=version).order_by("position").first()
    material.remarks = "start"
    material.save()
    return version


def _history_values(model, pk, attribute):
    rows = model.history.filter(id=pk).order_by("history_date", "history_id")
    return [getattr(row, attribute) for row in rows]


def test_concurrent_saves_either_land_or_are_refused_and_none_is_lost(version):
    user = UserFactory(username="stress", department=version.standard.department)
    user.groups.set([ensure_role_groups()[Role.DEPARTMENT_STAFF]])
    start_count = StandardVersion.objects.get(pk=version.pk).edit_count
    service = Service.objects.get(version=version)
    material = Material.objects.filter(version=version).order_by("position").first()

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    connections.close_all()  # the children must not inherit an open socket
    workers = [
        context.Process(target=_editor, args=(w, version.pk, user.pk, results))
        for w in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)

    errors = [e for r in reports for e in r[3]]
    assert errors == []
    landed = [item for r in reports for item in r[1]]
    refused = [item for r in reports for item in r[2]]
    # Every save was accounted for, and the run really raced.
    assert len(landed) + len(refused) == WORKERS * ROUNDS
    assert landed and refused

    # The version counts exactly the saves that landed, and its history has one row per count.
    final = StandardVersion.objects.get(pk=version.pk)
    assert final.edit_count - start_count == len(landed)
    counts = set(
        StandardVersion.history.filter(id=version.pk, edit_count__gt=start_count).values_list(
            "edit_count", flat=True
        )
    )
    assert counts == set(range(start_count + 1, final.edit_count + 1))

    for code, model, pk, attribute in (
        ("E12", Service, service.pk, "office_hours"),
        ("E05", Material, material.pk, "remarks"),
    ):
        history = _history_values(model, pk, attribute)
        chain = history[history.index("start") :]
        written = [_token(value) for value in chain[1:]]
        # Exactly the saves that landed on this section, each once; no refused one.
        assert Counter(written) == Counter(mine for c, mine in landed if c == code)
        # Each landed value was written over the value before it: nothing was overwritten unseen.
        for previous, value in itertools.pairwise(chain):
            assert value.split("<", 1)[1] == _token(previous), (code, previous, value)
        current = getattr(model.objects.get(pk=pk), attribute)
        assert current == chain[-1]
