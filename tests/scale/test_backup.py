"""The backup and restore drill (lapor/core/backup.py, docs/operations.md): a backup of a site
with reports, events and attachments, restored into a **fresh PostgreSQL cluster** (initdb on a
free port) and an empty storage, gives the same rows and files, an intact audit trail and
working pages; a tampered backup and a non-empty target are refused."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from PIL import Image

from lapor.reports.models import Attachment, Report, ReportEvent
from lapor.reports.services import Upload
from tests.factories import submit
from tests.replica.conftest import PG_BIN, Cluster, Replication, _free_port, _unavailable

pytestmark = pytest.mark.django_db(transaction=True)
DBNAME = "lapor_restored"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def fresh_cluster() -> Iterator[tuple[Replication, Cluster]]:
    """An empty PostgreSQL cluster of its own, with one empty database."""
    reason = _unavailable()
    if reason:
        if os.environ.get("CI") in ("true", "1"):
            pytest.fail(reason)
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="lapor-restore-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(root / "data", _free_port(), root / "server.log")
    harness = Replication(root, cluster, cluster, as_user)
    harness.run(PG_BIN / "initdb", "-D", cluster.data, "-U", "postgres", "--auth=trust", "-N")
    with (cluster.data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"port = {cluster.port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{root}'\nfsync = off\n"
        )
    harness.start(cluster)
    harness.run(PG_BIN / "psql", "-h", "127.0.0.1", "-U", "postgres", "-p", str(cluster.port),
                "-d", "postgres", "-q", "-c", f"CREATE DATABASE {DBNAME}")  # fmt: skip
    try:
        yield harness, cluster
    finally:
        harness.stop(cluster)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def site(settings, tmp_path: Path) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Reports with events and a photo each, stored under a media folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    made = [
        submit(
            title=f"Lampu jalan padam nomor {n}",
            attachments=[Upload("foto.jpg", io.BytesIO(_jpeg()))],
        )
        for n in range(3)
    ]
    photo = Attachment.objects.get(report=made[0].report)
    with photo.file.open("rb") as stored:
        photo_bytes = stored.read()
    return {
        "tracking_ids": [m.report.tracking_id for m in made],
        "reports": Report.objects.count(),
        "events": ReportEvent.objects.count(),
        "photo": (photo.file.name, photo_bytes),
    }


@pytest.mark.postgres
@pytest.mark.slow
def test_a_backup_restores_into_a_fresh_cluster_with_its_trail_intact(
    site,
    fresh_cluster,
    settings,
    tmp_path: Path,
    client,  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "backup"
    out = io.StringIO()
    call_command("backup_create", str(folder), stdout=out)
    assert "backup written" in out.getvalue()
    assert (folder / "database.dump").stat().st_size > 0

    _harness, cluster = fresh_cluster
    default = connections["default"]
    saved = dict(default.settings_dict)
    default.close()
    target = {"HOST": "127.0.0.1", "PORT": str(cluster.port), "NAME": DBNAME}
    default.settings_dict.update({**target, "USER": "postgres", "PASSWORD": ""})
    settings.MEDIA_ROOT = str(tmp_path / "restored-media")
    try:
        out = io.StringIO()
        call_command("backup_restore", str(folder), stdout=out)
        text = out.getvalue()
        assert "audit trail intact" in text and "recovery time" in text
        assert Report.objects.count() == site["reports"]
        assert ReportEvent.objects.count() == site["events"]
        name, photo_bytes = site["photo"]
        assert (tmp_path / "restored-media" / name).read_bytes() == photo_bytes
        restored = Report.objects.get(tracking_id=site["tracking_ids"][0])
        assert client.get(f"/lacak/{restored.tracking_id}/").status_code in (200, 302)

        with pytest.raises(CommandError, match="not empty"):
            call_command("backup_restore", str(folder), stdout=io.StringIO())
    finally:
        default.close()
        default.settings_dict.clear()
        default.settings_dict.update(saved)


@pytest.mark.postgres
@pytest.mark.slow
def test_a_tampered_backup_is_refused_before_anything_is_written(
    site,
    fresh_cluster,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "backup"
    call_command("backup_create", str(folder), stdout=io.StringIO())
    dump = folder / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(CommandError, match=r"database\.dump is missing or differs"):
        call_command("backup_restore", str(folder), stdout=io.StringIO())
    with pytest.raises(CommandError, match="new folder"):
        call_command("backup_create", str(folder), stdout=io.StringIO())


def test_a_sqlite_site_is_told_how_to_back_up(tmp_path: Path) -> None:
    if connections["default"].vendor != "sqlite":
        pytest.skip("the answer for a SQLite site")
    with pytest.raises(CommandError, match=r"sqlite3 var/lapor\.sqlite3"):
        call_command("backup_create", str(tmp_path / "backup"), stdout=io.StringIO())
