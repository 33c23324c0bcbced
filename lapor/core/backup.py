"""Backup and restore drill for a site on PostgreSQL (docs/operations.md, "Backup and restore").

``create(folder)`` writes a consistent copy of the site into an empty folder:

* ``database.dump``: ``pg_dump --format=custom`` of the whole database, taken at one snapshot;
* ``files/``: every file of the configured storage (local folder or S3 bucket), attachments,
  thumbnails, encrypted WBS files and archived reports alike;
* ``manifest.json``: when, from which server, the SHA-256 of every part, and the counts a
  restore must find again (reports, events, files).

``restore(folder)`` refuses a folder whose parts do not match their manifest and a database
that is not empty, then runs ``pg_restore`` into the database of ``DATABASE_URL``, puts the files
back into the configured storage, and checks the counts. The caller then runs
``lapor audit verify`` (the command does), which proves the event chains survived intact.

For small and medium sites a nightly ``create`` is the whole method (recovery point: the time
since the last run). Larger sites keep a base backup with continuous WAL archiving as well
(docs/operations.md); this drill is what proves either way that a restore works.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that must not go on; the message says why and what to do."""


@dataclass
class Outcome:
    seconds: float
    dump_bytes: int
    files: int
    file_bytes: int
    counts: dict[str, int]


def _binary(name: str) -> str:
    folder = os.environ.get("PG_BIN", "")
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).exists():
        raise BackupError(f"{name} not found: install the PostgreSQL client or set PG_BIN")
    return found


def _require_postgres() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup/restore needs PostgreSQL (DATABASE_URL). A SQLite site is one file: copy "
            'it with `sqlite3 var/lapor.sqlite3 ".backup copy.sqlite3"` and the media folder.'
        )


def _libpq_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or ""),
        PGPORT=str(db.get("PORT") or ""),
        PGUSER=str(db.get("USER") or ""),
        PGPASSWORD=str(db.get("PASSWORD") or ""),
        PGDATABASE=str(db["NAME"]),
    )
    return {key: value for key, value in env.items() if value != ""}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _counts() -> dict[str, int]:
    """What a restore must find again: rows of the tables that carry the record."""
    names = ("reports.Report", "reports.ReportEvent", "reports.Attachment")
    return {name: apps.get_model(name).objects.count() for name in names}


def _storage_files(folder: str = "") -> Iterator[str]:
    """Every file name in the default storage, recursively (local or S3)."""
    try:
        subfolders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in subfolders:
        yield from _storage_files(f"{folder}/{sub}" if folder else sub)


def create(target: Path) -> Outcome:
    _require_postgres()
    started = time.monotonic()
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a backup goes into a new folder")
    dump = target / "database.dump"
    # One snapshot for the dump and the counts: the manifest describes exactly what was dumped.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
        counts = _counts()
        subprocess.run(  # noqa: S603 - our own arguments, no shell
            [_binary("pg_dump"), "--format=custom", "--compress=6", "--no-owner",
             "--no-privileges", f"--snapshot={snapshot}", f"--file={dump}"],
            env=_libpq_env(), check=True, capture_output=True, text=True,
        )  # fmt: skip
    files: dict[str, dict[str, Any]] = {}
    for name in _storage_files():
        copy = target / "files" / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, copy.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        files[name] = {"sha256": _sha256(copy), "bytes": copy.stat().st_size}
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "server_version": server_version,
        "database": {"sha256": _sha256(dump), "bytes": dump.stat().st_size},
        "counts": counts,
        "files": files,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return Outcome(
        seconds=time.monotonic() - started,
        dump_bytes=dump.stat().st_size,
        files=len(files),
        file_bytes=sum(entry["bytes"] for entry in files.values()),
        counts=counts,
    )


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest, after checking every part against it."""
    try:
        manifest: dict[str, Any] = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source}/manifest.json cannot be read: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    parts = {"database.dump": manifest["database"]}
    parts.update({f"files/{name}": entry for name, entry in manifest["files"].items()})
    for relative, entry in parts.items():
        path = source / relative
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"{relative} is missing or differs from the manifest: not restored")
    return manifest


def _empty_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
            "'information_schema')"
        )
        return int(cursor.fetchone()[0]) == 0


def restore(source: Path) -> Outcome:
    _require_postgres()
    started = time.monotonic()
    manifest = read_manifest(source)
    if not _empty_database():
        raise BackupError(
            f"the database {connection.settings_dict['NAME']} is not empty: restore into a "
            "new, empty database (createdb) and point DATABASE_URL at it"
        )
    connection.close()  # pg_restore needs no session of ours in the way
    subprocess.run(  # noqa: S603 - our own arguments, no shell
        [_binary("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
         "--jobs=2", f"--dbname={_libpq_env()['PGDATABASE']}", str(source / "database.dump")],
        env=_libpq_env(), check=True, capture_output=True, text=True,
    )  # fmt: skip
    for name in manifest["files"]:
        with (source / "files" / name).open("rb") as copy:
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, copy)
        if saved != name:
            raise BackupError(f"storage saved {name} as {saved}: restore into an empty storage")
    counts = _counts()
    if counts != manifest["counts"]:
        expected = manifest["counts"]
        raise BackupError(f"restored counts {counts} differ from the manifest's {expected}")
    return Outcome(
        seconds=time.monotonic() - started,
        dump_bytes=int(manifest["database"]["bytes"]),
        files=len(manifest["files"]),
        file_bytes=sum(int(entry["bytes"]) for entry in manifest["files"].values()),
        counts=counts,
    )
