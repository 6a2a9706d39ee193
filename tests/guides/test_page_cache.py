"""Guide pages from the shared cache (guides.pagecache.SharedPageMiddleware).

The fast path answers before sessions, authentication and the view, so these
tests check what it must keep: the same body and headers as the rendered page
(security headers included), 304 to conditional GETs, the language cookie, a
new publication visible at once, and nothing of one visitor's own (a signed-in
user's page, a message, a CSRF token or a CSP nonce) ever served to another.
The shared cache is the test settings' local memory unless said otherwise.
"""

import os
import re
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.csp import LazyNonce, build_policy
from django.utils.http import http_date

from guides import generation, pagecache
from search.models import ItemView
from search.popularity import flush
from standards.models import User
from tests.guides.test_guide_page import (  # noqa: F401 - fixtures
    guide_url,
    published,
    published_module,
    republish,
)
from tests.redis_service import redis_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast(published, settings):  # noqa: F811 - the imported fixture
    """The guide page with the shared-cache fast path on, and no copies from earlier tests."""
    settings.GUIDE_PAGE_FAST_PATH = True
    pagecache.forget_local()
    yield published
    pagecache.forget_local()


def rendered_then_cached(client, url, **extra):
    """The page as rendered (and stored), then as answered from the cache."""
    first = client.get(url, **extra)
    assert first.status_code == 200
    assert first.templates, "the first request renders the page"
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, **extra)
    assert again.status_code == 200
    assert len(queries) == 0, [q["sql"][:120] for q in queries]
    assert again.templates == [], "the cached answer renders no template"
    return first, again


def test_a_cached_page_costs_no_query_and_is_the_rendered_page(fast):
    first, again = rendered_then_cached(Client(), guide_url(fast))
    assert again.content == first.content
    assert dict(again.headers) == dict(first.headers)
    assert again["Cache-Control"] == "public, no-cache"


def test_cached_answers_carry_every_security_header(fast, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_SSL_REDIRECT = False
    client = Client()
    url = guide_url(fast)
    first, again = rendered_then_cached(client, url, secure=True)
    policy = build_policy(settings.SECURE_CSP, None)
    for response in (first, again):
        assert response["Content-Security-Policy"] == policy
        assert "nonce-" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["Strict-Transport-Security"].startswith("max-age=3600")
        assert response["Content-Language"] == "zh-hans"
        assert "Cookie" in response["Vary"]
    with CaptureQueriesContext(connection) as queries:
        not_modified = client.get(url, secure=True, headers={"if-none-match": first["ETag"]})
    assert not_modified.status_code == 304 and len(queries) == 0
    assert not_modified["Content-Security-Policy"] == policy
    assert not_modified["X-Frame-Options"] == "DENY"
    assert not_modified["Strict-Transport-Security"].startswith("max-age=3600")


def test_conditional_gets_are_answered_from_the_cache(fast):
    client = Client()
    url = guide_url(fast)
    first, _ = rendered_then_cached(client, url)
    with CaptureQueriesContext(connection) as queries:
        by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
        by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert len(queries) == 0
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert by_date.status_code == 304
    stale = client.get(url, headers={"if-none-match": '"not-this-one"'})
    assert stale.status_code == 200 and stale.content == first.content
    older = http_date(0)
    assert client.get(url, headers={"if-modified-since": older}).status_code == 200


def test_a_publication_is_visible_at_once_on_every_cached_guide_page(
    fast, django_capture_on_commit_callbacks
):
    client = Client()
    url = guide_url(fast)
    standard = fast.standard
    version_url = reverse(
        "guides:guide_version",
        args=[standard.item.basic_code, standard.department.code, fast.number],
    )
    first, _ = rendered_then_cached(client, url)
    rendered_then_cached(client, version_url)

    with django_capture_on_commit_callbacks(execute=True):
        newer = republish(fast)
    after = client.get(url, headers={"if-none-match": first["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert f"第 {newer.number} 版" in after.text or f"第{newer.number}版" in after.text
    # The earlier version's page is retired too: its version list now shows the new one.
    old_version = client.get(version_url)
    assert old_version.templates, "rendered afresh"
    assert (
        reverse(
            "guides:guide_version",
            args=[standard.item.basic_code, standard.department.code, newer.number],
        )
        in old_version.text
    )


def test_losing_the_shared_cache_does_not_bring_back_old_copies(fast):
    """A process's own copies are keyed by the generation; a lost counter restarts above it."""
    client = Client()
    url = guide_url(fast)
    rendered_then_cached(client, url)
    before = generation.generation()
    newer = republish(fast)  # in the test's transaction: the after-commit bump never runs
    cache.clear()  # the shared cache loses everything, the counter too
    assert generation.generation() > before
    after = client.get(url)
    assert after.templates, "rendered afresh, not this process's old copy"
    assert f"第 {newer.number} 版" in after.text or f"第{newer.number}版" in after.text


def test_a_publication_during_rendering_does_not_store_the_old_page_under_the_new_key(fast):
    factory = RequestFactory()
    url = guide_url(fast)

    def render_while_publishing(request):
        generation.bump_generation()  # a publication commits while the old rows are read
        response = HttpResponse(b"the old version")
        response.guide_shareable = pagecache.Shareable('"old"', 0, fast.standard_id)
        return response

    middleware = pagecache.SharedPageMiddleware(render_while_publishing)
    looked_up = middleware._key(factory.get(url))
    middleware(factory.get(url))
    assert pagecache.get(looked_up) is not None  # stored under the key it was looked up by
    assert pagecache.get(middleware._key(factory.get(url))) is None  # not under the new one


def test_english_comes_from_the_language_cookie_and_is_cached_apart(fast):
    url = guide_url(fast)
    chinese_client = Client()
    chinese, _ = rendered_then_cached(chinese_client, url)
    english_client = Client()
    english_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english, english_again = rendered_then_cached(english_client, url)
    assert 'lang="en"' in english_again.text and english_again["Content-Language"] == "en"
    assert english["ETag"] != chinese["ETag"]
    # As on the rest of the site, the browser's preference does not switch the language,
    # and a cookie naming no language of ours falls back to Chinese.
    browser = Client(headers={"accept-language": "en"})
    assert browser.get(url)["ETag"] == chinese["ETag"]
    odd = Client()
    odd.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "xx"
    with CaptureQueriesContext(connection) as queries:
        odd_page = odd.get(url)
    assert len(queries) == 0 and odd_page.content == chinese.content


def test_a_signed_in_user_is_never_served_a_cached_page_and_never_cached(fast):
    url = guide_url(fast)
    leader = User.objects.get(username="nanhai_leader")
    staff = Client()
    staff.force_login(leader)
    own = staff.get(url)  # the cache is empty: rendered for the user...
    assert own.status_code == 200 and "private" in own["Cache-Control"]
    assert "csrfmiddlewaretoken" in own.text  # ...with the sign-out form's token
    public, _ = rendered_then_cached(Client(), url)  # ...and not stored for the public
    assert "csrfmiddlewaretoken" not in public.text
    assert leader.username not in public.text
    again = staff.get(url)  # the public page is cached now; the user still gets their own
    assert again.templates and "private" in again["Cache-Control"]
    assert "csrfmiddlewaretoken" in again.text


def test_a_visitor_with_a_message_waiting_gets_it_and_the_page_is_not_stored(fast):
    url = guide_url(fast)
    rendered_then_cached(Client(), url)
    storage = CookieStorage(RequestFactory().get(url))
    storage.add(constants.INFO, "只给这位访客的消息")
    carrier = HttpResponse()
    storage.update(carrier)
    visitor = Client()
    visitor.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    cache.clear()  # nothing stored: the visitor's page is rendered and must not be kept
    pagecache.forget_local()
    shown = visitor.get(url)
    assert "只给这位访客的消息" in shown.text
    stranger = Client().get(url)
    assert stranger.templates, "rendered for the stranger, not the visitor's copy"
    assert "只给这位访客的消息" not in stranger.text


def test_a_page_that_used_the_csp_nonce_or_set_a_cookie_is_not_stored(fast):
    factory = RequestFactory()
    url = guide_url(fast)

    def shareable(request, *, nonce=False, cookie=False):
        request._csp_nonce = LazyNonce()
        if nonce:
            str(request._csp_nonce)  # the template printed it
        response = HttpResponse(b"page")
        response.guide_shareable = pagecache.Shareable('"e"', 0, fast.standard_id)
        if cookie:
            response.set_cookie("csrftoken", "one visitor's")
        return response

    for kind in ("nonce", "cookie"):
        middleware = pagecache.SharedPageMiddleware(
            lambda request, kind=kind: shareable(request, **{kind: True})
        )
        key = middleware._key(factory.get(url))
        middleware(factory.get(url))
        assert pagecache.get(key) is None, kind
    plain = pagecache.SharedPageMiddleware(shareable)
    key = plain._key(factory.get(url))
    plain(factory.get(url))
    assert pagecache.get(key) is not None


def test_a_csrf_token_printed_by_the_page_keeps_it_out_of_the_cache(fast, settings):
    from guides.views import _same_for_everyone

    request = RequestFactory().get(guide_url(fast))
    request._csp_nonce = LazyNonce()
    assert _same_for_everyone(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # what get_token() does
    assert not _same_for_everyone(request)


def test_dates_queries_and_unknown_hosts_are_not_answered_from_the_cache(fast):
    client = Client()
    url = guide_url(fast)
    rendered_then_cached(client, url)
    dated = client.get(url, {"on": "2026-13-45"})
    assert dated.status_code == 400 and dated.templates
    assert Client(HTTP_HOST="evil.example").get(url).status_code == 400
    assert client.head(url).status_code == 200


def test_views_served_from_the_cache_are_counted(fast, settings):
    settings.GUIDE_VIEW_BATCH = 2
    flush()

    def views():
        row = ItemView.objects.filter(standard_id=fast.standard_id).first()
        return row.views if row else 0

    client = Client()
    url = guide_url(fast)
    client.get(url)  # rendered: one view, gathered
    before = views()
    client.get(url)  # cached: the second view fills the batch
    client.get(url)
    assert views() >= before + 2


def test_a_page_the_cache_will_keep_is_read_from_the_primary_not_a_replica(fast):
    """A replica that has not caught up with a publication would have the old version kept."""
    from django.contrib.auth.models import AnonymousUser

    from config.routers import replica_reads, replica_reads_allowed
    from guides import views

    standard = fast.standard
    args = [standard.item.basic_code, standard.department.code]

    def reads_while_rendering(shared_key):
        allowed = []

        def record(execute, sql, params, many, context):
            allowed.append(replica_reads_allowed())
            return execute(sql, params, many, context)

        request = RequestFactory().get(guide_url(fast))
        request.user = AnonymousUser()
        request._csp_nonce = LazyNonce()
        if shared_key:
            request.guide_page_key = shared_key
        cache.clear()
        with replica_reads(), connection.execute_wrapper(record):
            assert views.guide(request, *args).status_code == 200
        assert allowed
        return set(allowed)

    assert reads_while_rendering("a key: the middleware will store the page") == {False}
    assert reads_while_rendering("") == {True}  # not kept in the shared cache: replica allowed


def test_the_page_pattern_matches_the_guide_pages_and_nothing_else(fast):
    standard = fast.standard
    base = [standard.item.basic_code, standard.department.code]
    pages = [
        reverse("guides:guide", args=base),
        reverse("guides:guide_version", args=[*base, fast.number]),
    ]
    others = [
        reverse("guides:home"),
        reverse("guides:guide_pdf", args=base),
        reverse("guides:guide_version_pdf", args=[*base, fast.number]),
        reverse("guides:file", args=[*base, fast.number, "E05.14", "row"]),
        "/guides/a/b/c/",
    ]
    assert all(pagecache.PAGE_PATH.match(path) for path in pages)
    assert not any(pagecache.PAGE_PATH.match(path) for path in others)


REDIS_URL = os.environ.get("PAGE_CACHE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


needs_redis = pytest.mark.skipif(
    not redis_answers(REDIS_URL), reason=f"no Redis answers at {REDIS_URL}"
)


@pytest.fixture
def redis_cache():
    """Django's cache on the real Redis, under a prefix of its own (removed afterwards)."""
    from redis import Redis

    prefix = f"page-cache-test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    try:
        with override_settings(CACHES=caches):
            yield prefix
            generation.forget_watch()
    finally:
        redis = Redis.from_url(REDIS_URL)
        for key in redis.scan_iter(match=f"{prefix}:*"):
            redis.delete(key)


class CountingRead:
    """The counter read straight from Redis, counting the reads."""

    def __init__(self):
        self.client = generation._redis_client()
        self.key = cache.make_and_validate_key(generation.GENERATION_KEY)
        self.reads = 0

    def __call__(self):
        self.reads += 1
        raw = self.client.get(self.key)
        return None if raw is None else int(raw)


@pytest.fixture
def watched(redis_cache):
    """A watch of its own on the counter (which exists), with a read that counts."""
    read = CountingRead()
    generation.generation()
    watch = generation.GenerationWatch(
        read.client, cache.make_and_validate_key(generation.CHANGES_CHANNEL)
    )
    yield read, watch
    watch.close()


@needs_redis
def test_with_redis_a_page_is_shared_between_processes_and_retired_by_a_publication(
    fast, redis_cache, django_capture_on_commit_callbacks
):
    url = guide_url(fast)
    client = generation._redis_client()
    assert client is not None and client is generation._redis_client()  # kept
    start = generation.generation()
    assert cache.get(generation.GENERATION_KEY) == start  # as Django's backend reads it
    generation.bump_generation()
    assert generation.generation() == start + 1
    first, again = rendered_then_cached(Client(), url)
    assert again.content == first.content
    pagecache.forget_local()  # as in another process: the page comes from Redis
    with CaptureQueriesContext(connection) as queries:
        other = Client().get(url)
    assert len(queries) == 0 and other.content == first.content
    with django_capture_on_commit_callbacks(execute=True):
        newer = republish(fast)
    assert generation.generation() > start + 1
    after = Client().get(url)
    assert after.templates
    assert re.search(rf"第 ?{newer.number} ?版", after.text)


@needs_redis
def test_a_watched_counter_is_read_once_until_a_change_is_announced(watched):
    read, watch = watched
    first = watch.current(read)
    assert [watch.current(read) for _ in range(5)] == [first] * 5
    assert read.reads == 1  # no round trip to Redis after the first
    read.client.incr(read.key)  # as another process publishing would...
    read.client.publish(cache.make_and_validate_key(generation.CHANGES_CHANNEL), b"")
    deadline = time.monotonic() + 2  # ...its announcement arrives on the socket
    while watch.current(read) == first and time.monotonic() < deadline:
        time.sleep(0.001)
    assert watch.current(read) == first + 1
    assert read.reads == 2


@needs_redis
def test_the_publishing_process_sees_its_own_change_at_once(redis_cache, monkeypatch):
    """Redis may answer the publisher before the announcement reaches its own watch."""
    generation.generation()  # the counter is made, and the process's watch
    before = generation.generation()  # holds it
    assert generation._watch_state["watch"].value == before
    # The announcement is still on its way when the publisher's next request comes.
    monkeypatch.setattr(generation._redis_client(), "publish", lambda *args: 0)
    generation.bump_generation()
    assert generation.generation() == before + 1


@needs_redis
def test_after_a_lost_connection_nothing_is_kept_until_the_subscription_is_back(watched):
    read, watch = watched
    first = watch.current(read)
    watch.pubsub.connection.disconnect()  # the connection drops...
    read.client.incr(read.key)  # ...and a change is made that it will never hear of
    assert watch.current(read) == first + 1
    for _ in range(50):  # redis-py reconnected; Redis confirms the new subscription
        watch.current(read)
        if watch.subscribed:
            break
    assert watch.subscribed
    reads = read.reads
    assert watch.current(read) == first + 1
    assert read.reads == reads  # kept again


@needs_redis
def test_a_counter_unannounced_for_too_long_is_read_again(watched, monkeypatch):
    read, watch = watched
    first = watch.current(read)
    read.client.incr(read.key)  # changed without an announcement
    assert watch.current(read) == first  # kept: nothing said it changed
    monkeypatch.setattr(generation, "RECHECK_SECONDS", -1.0)  # as if it had grown old
    assert watch.current(read) == first + 1


@needs_redis
def test_when_redis_cannot_be_watched_the_counter_is_read_every_time(redis_cache, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    from redis.exceptions import ConnectionError as RedisConnectionError

    with pytest.raises(RedisConnectionError):
        generation.generation()  # no watch, and the direct read fails as it should
    assert generation._watch_state["watch"] is None
