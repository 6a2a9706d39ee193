"""Backup and restore of the whole product: every app's rows plus the files in MEDIA_ROOT.

One `.tar.gz` holds:

    manifest.json   format, time, row counts per model, sha256 of every other member
    data.json       `dumpdata` of every app, primary keys kept
    media/...       uploaded forms and samples, rendered PDFs

Content types and permissions are in the backup with their ids, which other
rows refer to; `migrate` creates its own (possibly with other ids) in the new
database, so a restore into an empty database replaces those first. Sessions
are left out: a restore signs everybody out.

Restore checks every sha256 before it writes anything, refuses a database that
already holds rows (unless forced), loads the rows in one transaction, then
puts the files in place. Rows are inserted with their original primary keys;
`loaddata` saves raw, so no signal rebuilds or re-renders anything, and the
published snapshots (which the database refuses to UPDATE) go in as INSERTs
into an empty table. The search index is not in the backup: it is derived
from the published snapshots, so the restore rebuilds it in the same
transaction (a failed rebuild leaves nothing restored).
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import override_settings
from django.utils import timezone

from search.indexing import rebuild_index

FORMAT = 1
# Sessions: a restore signs everybody out. The search index: derived from the
# published snapshots (most of a backup's rows at scale), rebuilt by the restore.
SEARCH_INDEX = ["search.searchentry", "search.entrytheme", "search.gram", "search.gramcount"]
EXCLUDED = ["sessions", *SEARCH_INDEX]
# Rows that `migrate` itself writes: they do not make a database "not empty".
MIGRATE_CREATES = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    """The backup file or the target database is not fit for a restore; the message says why."""


@dataclass
class RestoreReport:
    rows: int
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(target: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write the backup file `target`; returns its manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data.json"
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            output=str(data),
            database=using,
            verbosity=0,
        )
        rows = json.loads(data.read_text(encoding="utf-8"))
        counts = Counter(row["model"] for row in rows)
        files = {"data.json": _sha256(data)}
        media = _media_files(media_root)
        for path in media:
            files[f"media/{path.relative_to(media_root).as_posix()}"] = _sha256(path)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connections[using].vendor,
            "rows": dict(sorted(counts.items())),
            "files": files,
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(target, "w:gz") as archive:
            encoded = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(encoded)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(encoded))
            archive.add(data, arcname="data.json")
            for path in media:
                archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
    return manifest


def rows_present(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Models that a backup would fill and that already hold rows, with their counts."""
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    excluded_models = {e for e in EXCLUDED if "." in e}
    found = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in excluded_models | MIGRATE_CREATES:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        count = model._base_manager.using(using).count()
        if count:
            found[label] = count
    return found


def restore_backup(
    source: Path, *, using: str = DEFAULT_DB_ALIAS, force: bool = False
) -> RestoreReport:
    """Load `source` into the database `using` and MEDIA_ROOT."""
    media_root = Path(settings.MEDIA_ROOT)
    present = rows_present(using)
    if present and not force:
        listed = ", ".join(f"{label} ({n})" for label, n in sorted(present.items())[:5])
        raise BackupError(
            f"The database is not empty ({listed}…): restore into a freshly migrated "
            "database, or pass --force to load over what is there."
        )
    with tempfile.TemporaryDirectory() as work:
        unpacked = Path(work)
        manifest = _unpack_and_verify(source, unpacked)
        # History is restored from the backup as it was: django-simple-history
        # would otherwise add rows of its own when loaddata sets many-to-many
        # fields (its m2m signal ignores `raw`), taking ids the backup's rows need.
        with transaction.atomic(using=using), override_settings(SIMPLE_HISTORY_ENABLED=False):
            if not present:
                _drop_migrate_rows(using)
            call_command("loaddata", str(unpacked / "data.json"), database=using, verbosity=0)
            ContentType.objects.clear_cache()
            rebuild_index()
        media = [name for name in manifest["files"] if name.startswith("media/")]
        for name in media:
            destination = media_root / PurePosixPath(name).relative_to("media")
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(unpacked / name, destination)
    return RestoreReport(rows=sum(manifest["rows"].values()), files=len(media))


def _drop_migrate_rows(using: str) -> None:
    """The content types and permissions `migrate` made: the backup brings the originals.

    Only in an otherwise empty database, where nothing else refers to them yet.
    """
    Permission.objects.using(using).all().delete()
    ContentType.objects.using(using).all().delete()


def _unpack_and_verify(source: Path, into: Path) -> dict[str, Any]:
    try:
        with tarfile.open(source, "r:gz") as archive:
            # The "data" filter refuses absolute paths, "..", links out of the
            # folder and device files: a tampered archive cannot write elsewhere.
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{source} is not a readable backup: {error}") from error
    manifest_path = into / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError(f"{source} has no manifest.json.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    files: dict[str, str] = manifest.get("files", {})
    if "data.json" not in files:
        raise BackupError("The manifest lists no data.json.")
    for name, expected in files.items():
        path = into / name
        if not path.is_file() or _sha256(path) != expected:
            raise BackupError(f"{name} is missing or does not match its sha256 in the manifest.")
    return manifest
