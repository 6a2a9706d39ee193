"""`manage.py backup` and `manage.py restore`: a round trip into an empty database changes no byte.

Every sample standard is published through the workflow, the database and
MEDIA_ROOT are backed up, and the archive is restored — by the real commands,
in another process — into a freshly migrated empty database (a second SQLite
file, or a PostgreSQL database created for the test and dropped after it) and
an empty MEDIA_ROOT. There, the guide HTML of every published version (both
languages) and every file must be byte-identical, and every snapshot must
still verify against its sha256.
"""

import hashlib
import json
import os
import subprocess
import sys
import tarfile

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from guides.rendering import render_guide_html
from ops.backup import SEARCH_INDEX
from search.indexing import rebuild_index
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import PublishedSnapshot, StandardVersion
from standards.roles import Role
from standards.services import workflow

from .world import FIXTURES, person

pytestmark = pytest.mark.django_db

# Run in the restored database's process: the figures compared with this one's.
FIGURES = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from django.utils import timezone
from guides.rendering import render_guide_html
from search.query import search
from standards.models import PublishedSnapshot

def figures():
    found = {}
    for stored in PublishedSnapshot.objects.order_by("version_id"):
        on = timezone.localdate(stored.published_at)
        pages = [render_guide_html(stored.data, language=lang, published_on=on)
                 for lang in ("zh-hans", "en")]
        found[str(stored.version_id)] = {
            "verified": stored.verify(),
            "sha256": stored.sha256,
            "html": [hashlib.sha256(page.encode()).hexdigest() for page in pages],
        }
    media = Path(settings.MEDIA_ROOT)
    files = {p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(media.rglob("*")) if p.is_file()}
    found_by = {term: sorted(entry.standard_id for entry in search([term]))
                for term in ("食品", "许可", "药", "学校", "证")}
    return {"guides": found, "files": files, "search": found_by}
"""


def figures_here():
    namespace = {}
    exec(FIGURES, namespace)  # noqa: S102 - the same code as in the restored process
    return namespace["figures"]()


def publish_every_sample():
    load_reference_data(FIXTURES)
    for path in sorted((FIXTURES / "samples").glob("*.yaml")):
        load_sample(path)
    published = []
    for version in StandardVersion.objects.select_related("standard__department", "standard"):
        department = version.standard.department
        tag = department.code.replace("-", "_")
        staff = person(Role.DEPARTMENT_STAFF, f"staff_{tag}", department)
        leader = person(Role.DEPARTMENT_LEADER, f"leader_{tag}", department)
        reviewer = person(
            Role.EDITORIAL_REVIEWER, f"reviewer_{tag}", regions=[version.standard.region.code]
        )
        workflow.submit(version=version, user=staff)
        workflow.start_review(version=version, user=reviewer)
        workflow.approve_filing(version=version, user=reviewer)
        workflow.confirm(version=version, user=leader)
        workflow.publish(version=version, user=leader)
        published.append(version.pk)
    return published


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def empty_database(tmp_path):
    """A URL of a database that exists and is empty; dropped afterwards on PostgreSQL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    params = connection.get_connection_params()
    name = f"{connection.settings_dict['NAME']}_restored"[:63]
    server = f"postgresql://{params.get('user', 'postgres')}@{params['host']}:{params['port']}"
    admin = f"{server}/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_in(database_url, media_root, *arguments, code=None):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "DEBUG": "true",
    }
    command = [sys.executable, "manage.py", *arguments]
    if code is not None:
        command = [sys.executable, "-c", code]
    return subprocess.run(  # noqa: S603 - our interpreter and our manage.py
        command,
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_a_round_trip_into_an_empty_database_gives_byte_identical_guides(
    media, tmp_path, empty_database
):
    published = publish_every_sample()
    assert len(published) == len(list((FIXTURES / "samples").glob("*.yaml")))
    rebuild_index()  # publishing indexes after commit, which this test's transaction never does
    before = figures_here()
    assert before["search"]["食品"] and before["search"]["许可"]
    assert set(before["guides"]) == {str(pk) for pk in published}
    assert before["files"], "the samples' forms are files in MEDIA_ROOT"

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    with tarfile.open(archive) as opened:
        rows = json.load(opened.extractfile("manifest.json"))["rows"]
    assert not [label for label in rows if label in SEARCH_INDEX]  # derived: rebuilt on restore

    restored_media = tmp_path / "restored-media"
    migrate = run_in(empty_database, restored_media, "migrate", "--no-input", "-v0")
    assert migrate.returncode == 0, migrate.stderr
    restore = run_in(empty_database, restored_media, "restore", str(archive))
    assert restore.returncode == 0, restore.stderr
    program = f"import django, json; django.setup()\n{FIGURES}\nprint(json.dumps(figures()))"
    after = run_in(empty_database, restored_media, code=program)
    assert after.returncode == 0, after.stderr
    restored = json.loads(after.stdout.strip().splitlines()[-1])

    assert restored == before
    assert all(figure["verified"] for figure in restored["guides"].values())

    # Restoring again over the now filled database is refused.
    again = run_in(empty_database, restored_media, "restore", str(archive))
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_the_backup_holds_a_manifest_with_the_sha256_of_every_member(media, tmp_path):
    load_reference_data(FIXTURES)
    load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
        manifest = json.load(opened.extractfile("manifest.json"))
        for name, expected in manifest["files"].items():
            assert hashlib.sha256(opened.extractfile(name).read()).hexdigest() == expected
    assert names == {"manifest.json", *manifest["files"]}
    assert manifest["rows"]["standards.standardversion"] == 1
    assert manifest["rows"]["contenttypes.contenttype"] > 0  # ids other rows refer to
    assert "sessions.session" not in manifest["rows"]
    assert any(name.startswith("media/") for name in manifest["files"])


def test_restore_refuses_a_database_that_is_not_empty(media, tmp_path):
    load_reference_data(FIXTURES)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), verbosity=0)


def test_restore_refuses_a_tampered_archive_before_writing_anything(media, tmp_path, monkeypatch):
    load_reference_data(FIXTURES)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as opened:
        opened.extractall(unpacked, filter="data")
    data = unpacked / "data.json"
    data.write_text(data.read_text(encoding="utf-8").replace("广东省", "广东"), encoding="utf-8")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(tampered, "w:gz") as rebuilt:
        for member in sorted(unpacked.rglob("*")):
            rebuilt.add(member, arcname=member.relative_to(unpacked).as_posix(), recursive=False)
    # Checked before the emptiness of the database matters: force past it.
    with pytest.raises(CommandError, match=r"data.json .*sha256"):
        call_command("restore", str(tampered), "--force", verbosity=0)
    assert StandardVersion.objects.count() == 0
    assert not PublishedSnapshot.objects.exists()


def test_the_guide_figures_see_a_changed_snapshot(media):
    """The comparison above can fail: one changed field changes the guide's hash."""
    load_reference_data(FIXTURES)
    load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
    version = StandardVersion.objects.get()
    from standards.snapshot import snapshot

    data = snapshot(version)
    today = timezone.localdate()
    first = render_guide_html(data, published_on=today)
    data["content"]["service"]["E12.12"] = "周一至周五 9:00-17:00（已改）"
    assert render_guide_html(data, published_on=today) != first
