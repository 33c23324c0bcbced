"""A real PostgreSQL primary and its streaming replica, started by the tests (ADR 0016).

``replication`` (session): two clusters under a temporary directory, made with ``initdb`` and
``pg_basebackup -R``, on free local ports; the primary holds a copy of the test database (its
schema and the rows the migrations made, dumped from the test database pytest-django built).
Outside CI the tests skip, with the reason, when the PostgreSQL binaries (or, as root,
``runuser``) are missing; inside CI (``CI=true``) they fail instead.

``routed`` (per test): Django's ``default`` alias points at the harness primary and a
``replica`` alias at the replica for the test's duration, as ``DATABASE_REPLICA_URL`` would make
it; both are put back afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connections

from lapor.core import dbrouter
from tests.conftest import in_ci


def _pg_bin() -> Path:
    """PG_BIN, else the newest PostgreSQL server installed the Debian way (its pg_dump reads the
    test server's database: it must be at least that server's version)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()
NEEDED = ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "psql")
DBNAME = "lapor_harness"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unavailable() -> str | None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
        return "needs PostgreSQL: set DATABASE_URL (make test does)"
    missing = [name for name in NEEDED if not (PG_BIN / name).exists()]
    if missing:
        return f"needs the PostgreSQL server binaries in {PG_BIN} (missing: {', '.join(missing)})"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "runs as root: needs runuser to start PostgreSQL as the postgres user"
    return None


@dataclass
class Cluster:
    data: Path
    port: int
    log: Path


@dataclass
class Replication:
    root: Path
    primary: Cluster
    replica: Cluster
    as_user: list[str]

    def run(self, *args: str | Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.as_user, *map(str, args)],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
            **kwargs,  # type: ignore[call-overload]
        )

    def start(self, cluster: Cluster) -> None:
        self.run(PG_BIN / "pg_ctl", "start", "-w", "-D", cluster.data, "-l", cluster.log)

    def stop(self, cluster: Cluster) -> None:
        self.run(PG_BIN / "pg_ctl", "stop", "-w", "-m", "fast", "-D", cluster.data)

    def database(self, cluster: Cluster) -> dict[str, object]:
        return {"HOST": "127.0.0.1", "PORT": str(cluster.port), "NAME": DBNAME,
                "USER": "postgres", "PASSWORD": ""}  # fmt: skip


def _start_replication(dump_from: dict[str, object]) -> Replication:
    root = Path(tempfile.mkdtemp(prefix="lapor-replica-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    primary = Cluster(root / "primary", _free_port(), root / "primary.log")
    replica = Cluster(root / "replica", _free_port(), root / "replica.log")
    harness = Replication(root, primary, replica, as_user)
    harness.run(PG_BIN / "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust", "-N")
    settings = (
        f"port = {primary.port}\nlisten_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = '{root}'\nwal_level = replica\nmax_wal_senders = 4\n"
        "fsync = off\nfull_page_writes = off\nhot_standby = on\n"
        "wal_receiver_status_interval = 1s\n"
    )
    with (primary.data / "postgresql.conf").open("a") as conf:
        conf.write(settings)
    with (primary.data / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    harness.start(primary)
    host = ["-h", "127.0.0.1", "-U", "postgres"]
    harness.run(PG_BIN / "psql", *host, "-p", str(primary.port), "-d", "postgres", "-q",
                "-c", f"CREATE DATABASE {DBNAME}")  # fmt: skip
    # The test database's schema and the migrations' rows, into the primary.
    env = {**os.environ, "PGPASSWORD": str(dump_from.get("PASSWORD") or "")}
    dump = subprocess.run(
        [str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges",
         "-h", str(dump_from.get("HOST") or "127.0.0.1"), "-p", str(dump_from.get("PORT") or 5432),
         "-U", str(dump_from.get("USER") or "postgres"), "-d", str(dump_from["NAME"])],
        check=True, capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    harness.run(PG_BIN / "psql", *host, "-p", str(primary.port), "-d", DBNAME, "-q",
                "-v", "ON_ERROR_STOP=1", input=dump.stdout)  # fmt: skip
    harness.run(PG_BIN / "pg_basebackup", *host, "-p", str(primary.port), "-D", replica.data,
                "-R", "-X", "stream", "--checkpoint=fast", "--no-sync")  # fmt: skip
    with (replica.data / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {replica.port}\n")
    harness.start(replica)
    return harness


@pytest.fixture(scope="session")
def replication(django_db_setup: None, django_db_blocker: object) -> Iterator[Replication]:
    """The clusters, and a ``replica`` alias on the replica (a mirror of ``default`` to the test
    machinery: never created or flushed), which the router uses only where ``routed`` says."""
    reason = _unavailable()
    if reason is not None:
        if in_ci():
            pytest.fail(f"the replica tests must run in CI: {reason}")
        pytest.skip(reason)
    test_database = dict(connections["default"].settings_dict)
    harness = _start_replication(test_database)
    replica = {**test_database, **harness.database(harness.replica)}
    replica["TEST"] = {**test_database["TEST"], "MIRROR": "default"}  # type: ignore[dict-item]
    connections.settings["replica"] = connections.configure_settings(
        {"default": test_database, "replica": replica}
    )["replica"]
    try:
        yield harness
    finally:
        connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]
        for cluster in (harness.replica, harness.primary):
            subprocess.run(
                [*harness.as_user, str(PG_BIN / "pg_ctl"), "stop", "-m", "immediate",
                 "-D", str(cluster.data)],
                capture_output=True, timeout=60, check=False,
            )  # fmt: skip
        shutil.rmtree(harness.root, ignore_errors=True)


def wait_for(condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {seconds} s: {condition.__doc__}")
        time.sleep(0.05)


@pytest.fixture
def routed(replication: Replication, settings) -> Iterator[Replication]:  # type: ignore[no-untyped-def]
    """``default`` on the harness primary and the router reading from its replica, for one test
    marked ``django_db(transaction=True, databases=["default", "replica"])``. Set up after the
    test's database fixture, so the flush at its end runs on the test database again."""
    default = connections["default"]
    saved = dict(default.settings_dict)
    default.close()
    default.settings_dict.update(replication.database(replication.primary))
    settings.LAPOR_READ_REPLICA = True
    settings.LAPOR_REPLICA_MAX_LAG_SECONDS = 5
    settings.LAPOR_REPLICA_STICKY_SECONDS = 10
    dbrouter.forget_health()
    try:
        yield replication
    finally:
        connections["replica"].close()
        default.close()
        default.settings_dict.clear()
        default.settings_dict.update(saved)
        dbrouter.forget_health()
