"""Shared setup of the interchange tests: published standards, department staff, workbooks."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from interchange.audience import Audience, for_audience
from interchange.workbook.writer import build_workbook
from standards.models import PublishedSnapshot, StandardVersion, User
from standards.roles import Role, ensure_role_groups
from standards.snapshot import snapshot
from tests.content import fill_version
from tests.factories import UserFactory, VersionFactory


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def member(role: Role, department: Any, username: str | None = None) -> User:
    kwargs = {"username": username} if username else {}
    user: User = UserFactory(department=department, **kwargs)  # type: ignore[assignment]
    user.groups.set([ensure_role_groups()[role]])
    return user


def publish(version: StandardVersion, user: User) -> PublishedSnapshot:
    """Test setup only: the workflow services publish in real use (their tests cover that)."""
    StandardVersion.objects.filter(pk=version.pk).update(state="published")
    version.refresh_from_db()
    return PublishedSnapshot.objects.create(
        version=version, schema_version=1, data=snapshot(version), published_by=user
    )


@pytest.fixture
def published(db):
    """A standard with every field filled (two rows per group), published; its staff member."""
    version = VersionFactory()
    fill_version(version, rows_per_group=2)
    staff = member(Role.DEPARTMENT_STAFF, version.standard.department)
    return publish(version, staff), staff


def workbook_bytes(published: PublishedSnapshot, audience: Audience = Audience.FULL) -> bytes:
    return build_workbook(for_audience(published.data, audience), audience)


def upload(data: bytes, name: str = "标准.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def edited(data: bytes, change: Any) -> bytes:
    """The workbook after `change(book)`, saved again as a spreadsheet program would."""
    book = load_workbook(io.BytesIO(data))
    change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
