"""PostgreSQL's own continuous archiving, for the drill in bench/wal_drill.py and its test
(tests/scale/test_wal_drill.py): throw-away clusters made with ``initdb`` on free local ports
under a temporary folder (run as the ``postgres`` user when we are root), ``archive_command``
into an archive folder, ``pg_basebackup``, the disaster (``crash``) and the point-in-time
restore from the base backup and the archive (``restore``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DBNAME = "lapor_wal"


def _pg_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()
NEEDED = ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "psql")


def unavailable() -> str | None:
    """Why the drill cannot run here, or None."""
    missing = [name for name in NEEDED if not (PG_BIN / name).exists()]
    if missing:
        return f"needs the PostgreSQL server binaries in {PG_BIN} (missing: {', '.join(missing)})"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "runs as root: needs runuser to start PostgreSQL as the postgres user"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    data: Path
    port: int

    @property
    def log(self) -> Path:
        return self.data.parent / f"{self.data.name}.log"

    def database(self) -> dict[str, str]:
        """Django ``DATABASES`` keys that point a connection at this cluster."""
        return {"HOST": "127.0.0.1", "PORT": str(self.port), "NAME": DBNAME,
                "USER": "postgres", "PASSWORD": ""}  # fmt: skip


class Host:
    """A temporary folder for clusters, run as the ``postgres`` user when we are root."""

    def __init__(self, prefix: str = "lapor-wal-") -> None:
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.started: list[Cluster] = []

    def run(self, *args: str | Path, timeout: float = 600, input: str | None = None) -> str:
        done = subprocess.run(
            [*self.as_user, *map(str, args)],
            check=True, capture_output=True, text=True, timeout=timeout, input=input,
        )  # fmt: skip
        return done.stdout

    def sql(self, cluster: Cluster, query: str, db: str = "postgres") -> str:
        return self.run(PG_BIN / "psql", "-h", "127.0.0.1", "-U", "postgres", "-p",
                        str(cluster.port), "-d", db, "-Atqc", query).strip()  # fmt: skip

    def initdb(self, cluster: Cluster, settings: str) -> None:
        self.run(PG_BIN / "initdb", "-D", cluster.data, "-U", "postgres", "--auth=trust", "-N")
        self.configure(cluster, settings)

    def configure(self, cluster: Cluster, settings: str) -> None:
        """Append to postgresql.conf (a later line wins), with the port and socket folder."""
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {cluster.port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.root}'\n{settings}")  # fmt: skip

    def start(self, cluster: Cluster) -> None:
        self.started.append(cluster)
        self.run(PG_BIN / "pg_ctl", "start", "-w", "-t", "600", "-D", cluster.data,
                 "-l", cluster.log)  # fmt: skip

    def stop(self, cluster: Cluster, mode: str = "fast") -> None:
        self.run(PG_BIN / "pg_ctl", "stop", "-w", "-m", mode, "-D", cluster.data)
        self.started.remove(cluster)

    def close(self) -> None:
        """Stop every cluster still running (immediately) and remove the folder."""
        for cluster in self.started:
            if (cluster.data / "postmaster.pid").exists():
                subprocess.run(
                    [*self.as_user, str(PG_BIN / "pg_ctl"), "stop", "-m", "immediate",
                     "-D", str(cluster.data)], capture_output=True, timeout=60, check=False,
                )  # fmt: skip
        self.started.clear()
        shutil.rmtree(self.root, ignore_errors=True)


def archive_settings(archive: Path, timeout_seconds: int) -> str:
    """Continuous archiving into ``archive``: a finished segment is copied to a ``.part`` name,
    fsynced and renamed, so the archive never holds half a segment; a name already archived
    succeeds only when the file is the same (a retry after a crash), else it is refused."""
    target = f'"{archive}/%f"'
    command = (f'test ! -f {target} && cp "%p" {target}.part && sync {target}.part '
               f'&& mv {target}.part {target} || cmp -s "%p" {target}')  # fmt: skip
    return (f"wal_level = replica\narchive_mode = on\narchive_command = '{command}'\n"
            f"archive_timeout = {timeout_seconds}s\n")  # fmt: skip


def base_backup(host: Host, primary: Cluster, target: Path) -> float:
    """``pg_basebackup`` in plain format with the WAL it needs streamed into it; seconds."""
    started = time.monotonic()
    host.run(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-U", "postgres", "-p",
             str(primary.port), "-D", target, "-X", "stream", "--checkpoint=fast")  # fmt: skip
    return time.monotonic() - started


def switch_wal(host: Host, primary: Cluster, wait: float = 30.0) -> str:
    """Close the current WAL segment and wait until the archive holds it; its name."""
    segment = host.sql(primary, "SELECT pg_walfile_name(pg_switch_wal())")
    deadline = time.monotonic() + wait
    while host.sql(primary, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver") < (
        segment
    ):
        if time.monotonic() > deadline:
            raise TimeoutError(f"segment {segment} not archived within {wait} s")
        time.sleep(0.1)
    return segment


def _descendants(pid: int) -> list[int]:
    """Every process ``pid`` started, and theirs (an archiver's running copy too)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def _signal(pids: Iterable[int], number: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, number)


def crash(host: Host, primary: Cluster) -> float:
    """The disaster: the postmaster and every process it started (the archiver's copy too)
    stopped, then killed with SIGKILL, and its data directory deleted; the time (epoch seconds)
    it was over."""
    pid = int((primary.data / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGSTOP)
    frozen: set[int] = set()
    while fresh := set(_descendants(pid)) - frozen:  # the whole tree held still, then killed
        _signal(fresh, signal.SIGSTOP)
        frozen |= fresh
    _signal([*frozen, pid], signal.SIGKILL)
    crashed_at = time.time()
    host.started.remove(primary)
    shutil.rmtree(primary.data)
    return crashed_at


def _promoted(host: Host, cluster: Cluster) -> bool:
    """Recovery over: the archive replayed to its end and the cluster taking writes."""
    try:
        return host.sql(cluster, "SELECT pg_is_in_recovery()") == "f"
    except subprocess.CalledProcessError:  # not yet accepting connections
        return False


@dataclass
class Restored:
    cluster: Cluster
    copy_seconds: float
    replay_seconds: float  # start, archived WAL replayed, promoted: accepting writes
    segments: int  # WAL segments in the archive
    last_transaction: str  # the server's "last completed transaction was at log time ..."


def restore(
    host: Host,
    base: Path,
    archive: Path,
    target: Cluster,
    *,
    until: str = "",
    wait: float = 900.0,
) -> Restored:
    """A new cluster from the base backup, replaying ``archive`` to its end (or to the last
    commit at or before the time ``until``, a point-in-time recovery), then promoted."""
    started = time.monotonic()
    host.run("cp", "-a", base, target.data)
    copied = time.monotonic()
    settings = f'restore_command = \'cp "{archive}/%f" "%p"\'\n'
    if until:
        settings += f"recovery_target_time = '{until}'\nrecovery_target_action = 'promote'\n"
    host.configure(target, settings)
    host.run("touch", target.data / "recovery.signal")
    host.start(target)  # returns once it accepts (read-only) connections
    deadline = time.monotonic() + wait
    while not _promoted(host, target):
        if time.monotonic() > deadline:
            tail = target.log.read_text(errors="replace").splitlines()[-5:]
            raise TimeoutError(f"still recovering after {wait} s: {tail}")
        time.sleep(0.05)
    done = time.monotonic()
    log = target.log.read_text(errors="replace")
    last = [line for line in log.splitlines() if "last completed transaction" in line]
    segments = [p for p in archive.iterdir() if len(p.name) == 24]
    return Restored(target, copied - started, done - copied, len(segments),
                    last[-1].split("log time ")[-1] if last else "")  # fmt: skip
