"""The read-replica router: public reads may use the replica; writes, staff and transactions never.

A second database alias, `replica` (added by conftest.py), points at the same
test database with `TEST: {"MIRROR": "default"}` — as config/settings.py sets
it up when DATABASE_REPLICA_URL is given. It is a separate connection, so the tests are
transactional: the replica sees only what was committed, as a real one would.
Which connection ran each query is read from each connection's query log.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from config.routers import PrimaryReplicaRouter, ReplicaReadsMiddleware, replica_reads
from standards.models import Region, StandardVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

ROUTED = {
    "DATABASE_ROUTERS": ["config.routers.PrimaryReplicaRouter"],
}


@pytest.fixture
def replica():
    """The router on, for this test."""
    with override_settings(**ROUTED):
        yield connections["replica"]


def queries_on(alias):
    return CaptureQueriesContext(connections[alias])


def test_reads_go_to_the_primary_unless_allowed(replica):
    Region.objects.create(code="440000", name="广东省", level=Region.Level.PROVINCE)
    with queries_on("default") as primary, queries_on("replica") as replicated:
        assert Region.objects.count() == 1
    assert len(primary) == 1 and len(replicated) == 0


def test_public_reads_go_to_the_replica_and_see_committed_rows(replica):
    Region.objects.create(code="440000", name="广东省", level=Region.Level.PROVINCE)
    with queries_on("default") as primary, queries_on("replica") as replicated, replica_reads():
        found = Region.objects.get(code="440000")
    assert found._state.db == "replica"
    assert len(replicated) == 1 and len(primary) == 0


def test_writes_and_reads_inside_a_transaction_go_to_the_primary(replica):
    with queries_on("default") as primary, queries_on("replica") as replicated, replica_reads():
        region = Region.objects.create(code="440000", name="广东省", level=Region.Level.PROVINCE)
        with transaction.atomic():
            Region.objects.select_for_update().get(pk=region.pk)
            assert Region.objects.count() == 1
    assert len(replicated) == 0
    assert any("INSERT" in q["sql"] for q in primary.captured_queries)
    assert any("SELECT" in q["sql"] for q in primary.captured_queries)


def test_objects_read_from_either_alias_may_be_related(replica):
    province = Region.objects.create(code="440000", name="广东省", level=Region.Level.PROVINCE)
    with replica_reads():
        read_back = Region.objects.get(pk=province.pk)
    city = Region(code="440600", name="佛山市", level=Region.Level.CITY)
    city.parent = read_back  # would raise if the router refused the relation
    city.save()
    assert Region.objects.get(code="440600").parent_id == province.pk


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "standards") is True
    assert router.allow_migrate("replica", "standards") is False
    assert router.db_for_write(StandardVersion) == "default"


def test_the_middleware_lets_only_anonymous_gets_read_from_the_replica(rf, replica):
    seen = []

    def view(request):
        seen.append(PrimaryReplicaRouter().db_for_read(Region))
        return HttpResponse("ok")

    middleware = ReplicaReadsMiddleware(view)
    staff = UserFactory(username="replica_staff")
    for method, user in (("get", AnonymousUser()), ("post", AnonymousUser()), ("get", staff)):
        request = getattr(rf, method)("/")
        request.user = user
        middleware(request)
    assert seen == ["replica", "default", "default"]
    # Outside a request nothing leaks: reads are back on the primary.
    assert PrimaryReplicaRouter().db_for_read(Region) == "default"


def test_a_public_page_is_served_from_the_replica(client, replica, settings):
    index = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: index + 1],
        "config.routers.ReplicaReadsMiddleware",
        *settings.MIDDLEWARE[index + 1 :],
    ]
    Region.objects.create(code="440000", name="广东省", level=Region.Level.PROVINCE)
    with queries_on("default") as primary, queries_on("replica") as replicated:
        response = client.get("/")
    assert response.status_code == 200
    assert len(replicated) > 0
    # The public home page reads nothing from the primary (writes would go there).
    assert not [q for q in primary.captured_queries if q["sql"].lstrip().startswith("SELECT")]
