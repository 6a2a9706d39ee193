"""The inbox shows a user's own notifications only."""

import pytest
from django.urls import reverse

from standards.models import Notification
from tests.factories import UserFactory, VersionFactory

pytestmark = pytest.mark.django_db


def test_the_inbox_lists_only_the_users_notifications_and_marks_them_read(client):
    me, other = UserFactory(), UserFactory()
    version = VersionFactory()
    Notification.objects.create(
        recipient=me, version=version, action="submit", message="给我的<b>通知</b>"
    )
    Notification.objects.create(
        recipient=other, version=version, action="submit", message="别人的通知"
    )
    client.force_login(me)
    page = client.get(reverse("standards:inbox"))
    assert "给我的&lt;b&gt;通知&lt;/b&gt;" in page.text
    assert "别人的通知" not in page.text
    assert client.post(reverse("standards:inbox_read")).status_code == 302
    assert Notification.objects.get(recipient=me).read_at is not None
    assert Notification.objects.get(recipient=other).read_at is None


def test_the_inbox_needs_a_login(client):
    assert client.get(reverse("standards:inbox")).status_code == 302
