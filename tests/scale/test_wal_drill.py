"""The continuous-archiving drill (bench/_wal.py, docs/operations.md "Backup and restore"): a
primary archiving its WAL into a folder, a base backup, reports submitted and disposed, the
primary killed with SIGKILL and its data directory deleted, a new cluster restored from the base
backup and the archive. Every report acknowledged before the last archived segment is back with
its events, what was written after it is gone (it was in the deleted directory only), the audit
trail is intact and the restored site serves a tracking page and takes a new report; a restore
told to stop at a moment (point-in-time recovery) holds exactly what was committed up to it.
The archive command refuses to overwrite a segment with other content."""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client

from bench import _wal
from lapor.reports.models import Report, ReportEvent
from lapor.reports.services import report_dispose
from tests.conftest import in_ci
from tests.factories import AgencyFactory, RegencyFactory, national_admin, submit


@pytest.fixture
def host() -> Iterator[_wal.Host]:
    """A folder for throw-away clusters; every cluster started in it is stopped afterwards."""
    reason = _wal.unavailable()
    if reason:
        if in_ci():
            pytest.fail(f"the WAL drill must run in CI: {reason}")
        pytest.skip(reason)
    made = _wal.Host(prefix="lapor-wal-test-")
    try:
        yield made
    finally:
        made.close()


def _schema_into(host: _wal.Host, cluster: _wal.Cluster) -> None:
    """The test database's schema and the migrations' rows, into ``cluster``'s database."""
    source = connections["default"].settings_dict
    dump = subprocess.run(
        [str(_wal.PG_BIN / "pg_dump"), "--no-owner", "--no-privileges",
         "-h", str(source["HOST"] or "127.0.0.1"), "-p", str(source["PORT"] or 5432),
         "-U", str(source["USER"] or "postgres"), "-d", str(source["NAME"])],
        check=True, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PGPASSWORD": str(source.get("PASSWORD") or "")},
    )  # fmt: skip
    host.sql(cluster, f"CREATE DATABASE {_wal.DBNAME}")
    host.run(_wal.PG_BIN / "psql", "-h", "127.0.0.1", "-U", "postgres", "-p", str(cluster.port),
             "-d", _wal.DBNAME, "-q", "-v", "ON_ERROR_STOP=1", input=dump.stdout)  # fmt: skip


def _point_at(cluster: _wal.Cluster) -> None:
    default = connections["default"]
    default.close()
    default.settings_dict.update(cluster.database())


@pytest.fixture
def primary(host: _wal.Host) -> Iterator[_wal.Cluster]:
    """A primary archiving its WAL into ``host.root/archive`` (no timeout switch during a test),
    with the test database's schema and a base backup in ``host.root/base``; Django's
    ``default`` connection on it for the test, put back afterwards."""
    host.run("mkdir", host.root / "archive")
    cluster = _wal.Cluster(host.root / "primary", _wal.free_port())
    host.initdb(cluster, _wal.archive_settings(host.root / "archive", 3600) + "fsync = off\n")
    host.start(cluster)
    _schema_into(host, cluster)
    _wal.base_backup(host, cluster, host.root / "base")
    default = connections["default"]
    saved = dict(default.settings_dict)
    _point_at(cluster)
    try:
        yield cluster
    finally:
        default.close()
        default.settings_dict.clear()
        default.settings_dict.update(saved)


def _lose_and_restore(host: _wal.Host, primary: _wal.Cluster, until: str = "") -> _wal.Restored:
    """The disaster (SIGKILL, data directory deleted), then a new cluster from the base backup
    and the archive, with Django's ``default`` connection on it."""
    connections["default"].close()
    _wal.crash(host, primary)
    assert not primary.data.exists()
    target = _wal.Cluster(host.root / "restored", _wal.free_port())
    restored = _wal.restore(host, host.root / "base", host.root / "archive", target, until=until)
    _point_at(target)
    return restored


def _stored(tracking_ids: list[str]) -> list[str]:
    return sorted(
        Report.objects.filter(tracking_id__in=tracking_ids).values_list("tracking_id", flat=True)
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.slow
def test_a_lost_primary_is_restored_from_its_base_backup_and_archived_wal(
    host: _wal.Host, primary: _wal.Cluster, client: Client
) -> None:
    # Given reports acknowledged and one disposed, then their segment closed and archived
    region = RegencyFactory()
    before = [submit(region=region).report.tracking_id for _ in range(5)]
    disposed = Report.objects.get(tracking_id=before[0])
    report_dispose(report=disposed, to_agency=AgencyFactory(), actor=national_admin())
    archived = _wal.switch_wal(host, primary)
    assert (host.root / "archive" / archived).is_file()
    # ... and reports acknowledged after it, in WAL that was never archived
    after = [submit(region=region).report.tracking_id for _ in range(2)]

    # When the primary is killed, its data directory deleted, and a new cluster restored
    restored = _lose_and_restore(host, primary)

    # Then every report acknowledged before the last archived segment is back, with its events
    assert restored.segments >= 1
    assert _stored(before) == sorted(before)
    disposed = Report.objects.get(tracking_id=before[0])
    assert disposed.status == "disposed"
    assert list(ReportEvent.objects.filter(report=disposed).values_list("seq", "action")) == [
        (1, "submit"),
        (2, "dispose"),
    ]
    # ... what was only in the deleted directory is gone: the recovery point is real
    assert _stored(after) == []
    # ... the audit trail is intact, and the site serves and takes reports
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit trail intact" in out.getvalue()
    assert client.get(f"/lacak/{before[-1]}/").status_code in (200, 302)
    assert submit(region=disposed.region).report.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.slow
def test_a_restore_can_stop_at_a_point_in_time_before_a_mistake(
    host: _wal.Host, primary: _wal.Cluster
) -> None:
    # Given reports, the moment after them, then more reports, all archived
    region = RegencyFactory()
    kept = [submit(region=region).report.tracking_id for _ in range(3)]
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()::text")
        moment = cursor.fetchone()[0]
    later = [submit(region=region).report.tracking_id for _ in range(2)]
    _wal.switch_wal(host, primary)

    # When the restore is asked to stop at that moment
    _lose_and_restore(host, primary, until=moment)

    # Then it holds what was committed up to it and nothing after, and the trail is intact
    assert _stored(kept) == sorted(kept)
    assert _stored(later) == []
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit trail intact" in out.getvalue()


def test_the_archive_refuses_to_overwrite_a_different_segment(tmp_path: Path) -> None:
    # Given a segment already archived
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "000000010000000000000003").write_bytes(b"first")
    line = _wal.archive_settings(archive, 10).split("archive_command = '")[1].split("'\n")[0]

    def archive_command(name: str, content: bytes) -> int:
        wal = tmp_path / name
        wal.write_bytes(content)
        command = line.replace("%p", str(wal)).replace("%f", name)
        return subprocess.run(["sh", "-c", command], check=False).returncode

    # When the server offers the same name with other content, it is refused and kept
    assert archive_command("000000010000000000000003", b"second") != 0
    assert (archive / "000000010000000000000003").read_bytes() == b"first"
    # ... the same content again (a retry after a crash) succeeds
    assert archive_command("000000010000000000000003", b"first") == 0
    # ... and a new segment arrives whole, with no partial file left behind
    assert archive_command("000000010000000000000004", b"next") == 0
    assert (archive / "000000010000000000000004").read_bytes() == b"next"
    assert sorted(p.name for p in archive.iterdir()) == [
        "000000010000000000000003",
        "000000010000000000000004",
    ]
