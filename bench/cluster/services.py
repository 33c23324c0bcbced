"""The processes of the fault run, each on its host: PostgreSQL primary and streaming replica and
Redis on ``db``, granian on ``app1`` and ``app2``, ``lapor worker`` on ``work1`` and ``work2``,
nginx and the sinks in the root namespace. Everything lives under one state directory
(``--root``): data directories, logs, pid files, ``seed.json``.

Long-running processes run under ``supervise.py`` (systemd's ``Restart=always``): killing one is
a crash, and it comes back a second later. PostgreSQL is started and stopped with ``pg_ctl`` as
the ``postgres`` user, as a packaged server would be.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from topology import GATEWAY, HOSTS, in_ns

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV = ROOT / ".venv/bin"
PRIMARY_PORT, REPLICA_PORT, REDIS_PORT, APP_PORT, PROXY_PORT = 5432, 5433, 6379, 8000, 8080
DBNAME = "lapor"
HOSTNAME = "lapor.test"


def pg_bin() -> Path:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if not found:
        sys.exit("needs the PostgreSQL server binaries (/usr/lib/postgresql/*/bin)")
    return found[-1].parent


def database_url(port: int = PRIMARY_PORT) -> str:
    return f"postgres://postgres@{HOSTS['db']}:{port}/{DBNAME}"


def host_env(state: Path, host: str) -> dict[str, str]:
    """The environment of an app or worker host: what /etc/lapor/env would hold there."""
    return {
        "PATH": f"{VENV}:/usr/bin:/bin",
        "HOME": str(state),
        "LAPOR_ENV": "development",  # production refuses http:// webhook URLs and plain HTTP
        "DEBUG": "false",
        "SECRET_KEY": "cluster-run-" + "k" * 40,
        "ALLOWED_HOSTS": f"{HOSTNAME},{HOSTS.get(host, '127.0.0.1')}",
        "DATABASE_URL": database_url(),
        "DATABASE_REPLICA_URL": database_url(REPLICA_PORT),
        "REPLICA_MAX_LAG_SECONDS": "5",
        "REPLICA_STICKY_SECONDS": "10",
        "CACHE_URL": f"redis://{HOSTS['db']}:{REDIS_PORT}/0",
        "CLIENT_IP_HEADER": "X-Real-IP",
        "LAPOR_VAR_DIR": str(state / f"var-{host}"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": GATEWAY,
        "EMAIL_PORT": "2525",
        "SMS_BACKEND": "http",
        "SMS_GATEWAY_URL": f"http://{GATEWAY}:9002/send",
        "SMS_GATEWAY_TOKEN": "cluster-sms-token",
        "JOB_LEASE_SECONDS": "90",
        "SWEEP_INTERVAL_SECONDS": "60",
        "LOG_FORMAT": "json",
        # The generator is one partner from one address: the API's limits are not under test.
        "API_RATE_CLIENT": "100000/min",
        "API_RATE_IP": "100000/min",
        "PYTHONUNBUFFERED": "1",
    }


def as_postgres(*args: str | Path) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *map(str, args)]


def supervised(state: Path, name: str, host: str | None, command: list[str],
               env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:  # fmt: skip
    """``command`` under supervise.py, in ``host``'s namespace (None: the root one); output to
    ``logs/<name>.log``; the supervisor's pid in ``pids/<name>.sup``, the child's in
    ``pids/<name>.pid``."""
    pids = state / "pids"
    wrapper = [sys.executable, str(HERE / "supervise.py"), str(pids / f"{name}.pid"), "--",
               *command]  # fmt: skip
    line = in_ns(host, *wrapper) if host else wrapper
    log = (state / "logs" / f"{name}.log").open("ab")
    proc = subprocess.Popen(line, cwd=ROOT, env=env or dict(os.environ), stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    (pids / f"{name}.sup").write_text(f"{proc.pid}\n")
    return proc


def child_pid(state: Path, name: str) -> int:
    return int((state / "pids" / f"{name}.pid").read_text())


def prepare_dirs(state: Path) -> None:
    for sub in ("logs", "pids"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    shutil.chown(state, "postgres")  # initdb and the servers write their directories in it
    (state / "logs").chmod(0o1777)  # the servers' logs too


# --- db host -----------------------------------------------------------------------------


def pg(state: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(in_ns("db", *as_postgres(*args)), check=True, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def pg_ctl(state: Path, cluster: str, action: str, *extra: str) -> None:
    data = state / cluster
    log = state / "logs" / f"{cluster}.log"
    pg(state, pg_bin() / "pg_ctl", action, "-w", "-D", data, "-l", log, *extra)


def start_databases(state: Path) -> None:
    """initdb a primary, pg_basebackup -R a hot standby of it, both on the db host."""
    bin_ = pg_bin()
    primary, replica = state / "primary", state / "replica"
    pg(state, bin_ / "initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-N")
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write(
            f"listen_addresses = '{HOSTS['db']}'\nport = {PRIMARY_PORT}\n"
            f"unix_socket_directories = '{state}'\nwal_level = replica\nmax_wal_senders = 4\n"
            "max_connections = 120\nhot_standby = on\nhot_standby_feedback = on\n"
            "wal_receiver_status_interval = 1s\nsynchronous_commit = on\n"
            "log_min_messages = warning\n"
        )
    with (primary / "pg_hba.conf").open("a") as hba:
        hba.write("host all all 10.77.0.0/24 trust\nhost replication all 10.77.0.0/24 trust\n")
    pg_ctl(state, "primary", "start")
    pg(state, bin_ / "psql", "-h", HOSTS["db"], "-p", str(PRIMARY_PORT), "-U", "postgres",
       "-d", "postgres", "-q", "-c", f"CREATE DATABASE {DBNAME}")  # fmt: skip
    pg(state, bin_ / "pg_basebackup", "-h", HOSTS["db"], "-p", str(PRIMARY_PORT), "-U",
       "postgres", "-D", replica, "-R", "-X", "stream", "--checkpoint=fast")  # fmt: skip
    with (replica / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {REPLICA_PORT}\n")
    pg_ctl(state, "replica", "start")


def start_redis(state: Path) -> None:
    supervised(state, "redis", "db", ["redis-server", "--bind", HOSTS["db"], "--port",
               str(REDIS_PORT), "--save", "", "--appendonly", "no", "--protected-mode", "no",
               "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"])  # fmt: skip


def psql(state: Path, sql: str, port: int = PRIMARY_PORT, db: str = DBNAME) -> str:
    out = pg(state, pg_bin() / "psql", "-h", HOSTS["db"], "-p", str(port), "-U", "postgres",
             "-d", db, "-Atq", "-c", sql)  # fmt: skip
    return out.stdout.strip()


# --- the product -----------------------------------------------------------------------------


def lapor(state: Path, *args: str, host: str = "app1", timeout: int = 900) -> str:
    """A ``lapor`` command run on ``host`` with that host's settings."""
    out = subprocess.run(in_ns(host, str(VENV / "lapor"), *args), cwd=ROOT,
                         env=host_env(state, host), capture_output=True, text=True,
                         timeout=timeout)  # fmt: skip
    if out.returncode not in (0, 1):
        raise RuntimeError(f"lapor {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout + out.stderr


def install_schema(state: Path) -> None:
    lapor(state, "migrate", "--noinput")
    lapor(state, "reference", "load")
    out = subprocess.run(in_ns("app1", sys.executable, str(HERE / "seed.py"), str(state)),
                         cwd=ROOT, env=host_env(state, "app1"), capture_output=True, text=True,
                         timeout=300)  # fmt: skip
    if out.returncode:
        raise RuntimeError(f"seed failed:\n{out.stdout}\n{out.stderr}")
    print(out.stdout.strip())


def start_app(state: Path, host: str) -> None:
    supervised(state, host, host, [str(VENV / "granian"), "--interface", "wsgi", "--host",
               HOSTS[host], "--port", str(APP_PORT), "--workers", "2", "--blocking-threads",
               "2", "--no-ws", "--respawn-failed-workers", "--log-level", "warning",
               "lapor.wsgi:application"], host_env(state, host))  # fmt: skip


def start_worker(state: Path, host: str) -> None:
    supervised(state, host, host, [str(VENV / "lapor"), "worker", "--worker-id", host,
               "--interval", "0.5", "--max-tasks", "5000"], host_env(state, host))  # fmt: skip


NGINX = """
user root;
worker_processes 1;
pid {state}/pids/nginx.master;
error_log {state}/logs/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {state}/nginx-tmp/body;
    proxy_temp_path {state}/nginx-tmp/proxy;
    fastcgi_temp_path {state}/nginx-tmp/fastcgi;
    uwsgi_temp_path {state}/nginx-tmp/uwsgi;
    scgi_temp_path {state}/nginx-tmp/scgi;
    log_format timed '$msec $request_id $status $upstream_addr $upstream_status '
                     '$request_time "$request"';
    access_log {state}/logs/nginx-access.log timed;
    upstream lapor {{
        server {app1}:{port} max_fails=1 fail_timeout=5s;
        server {app2}:{port} max_fails=1 fail_timeout=5s;
        keepalive 16;
    }}
    server {{
        listen {gateway}:{proxy};
        server_name {hostname};
        client_max_body_size 60m;
        location / {{
            proxy_pass http://lapor;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            proxy_connect_timeout 2s;
            proxy_read_timeout 35s;
            # The default: another app server is tried after a connection error or timeout,
            # but never for a POST that reached one (it may have done its work).
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


def start_proxy(state: Path) -> None:
    if shutil.which("nginx") is None:
        print("installing nginx-light from Debian's packages")
        subprocess.run(["apt-get", "install", "-y", "-q", "nginx-light"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # fmt: skip
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (state / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
    conf = state / "nginx.conf"
    conf.write_text(NGINX.format(state=state, app1=HOSTS["app1"], app2=HOSTS["app2"],
                                 port=APP_PORT, gateway=GATEWAY, proxy=PROXY_PORT,
                                 hostname=HOSTNAME))  # fmt: skip
    supervised(state, "nginx", None, ["nginx", "-c", str(conf), "-g", "daemon off;"])


def start_sinks(state: Path) -> None:
    supervised(state, "sinks", None, [sys.executable, str(HERE / "sinks.py"), str(state)],
               {**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip


def wait_http(url: str, seconds: float = 90, host: str = HOSTNAME) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310
            with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer 200 within {seconds} s")
        time.sleep(0.5)


# --- teardown ---------------------------------------------------------------------------------


def stop_all(state: Path) -> None:
    """SIGTERM every supervisor (each stops its group), then PostgreSQL; SIGKILL what is left."""
    pids = state / "pids"
    sups: dict[int, Path] = {}
    for path in pids.glob("*.sup") if pids.exists() else []:
        with contextlib.suppress(ValueError, ProcessLookupError):
            pid = int(path.read_text())
            os.kill(pid, signal.SIGTERM)
            sups[pid] = path.with_suffix(".pid")
    deadline = time.monotonic() + 40
    while sups and time.monotonic() < deadline:
        sups = {pid: child for pid, child in sups.items() if _alive(pid)}
        time.sleep(0.3)
    for pid, child in sups.items():  # still running: its child's group first, while it is ours
        with contextlib.suppress(ValueError, OSError):
            os.killpg(int(child.read_text()), signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for cluster in ("replica", "primary"):
        if (state / cluster / "postmaster.pid").exists():
            stop = as_postgres(
                pg_bin() / "pg_ctl", "stop", "-m", "immediate", "-D", state / cluster
            )
            subprocess.run(stop, capture_output=True, timeout=60)


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def since(started: float) -> str:
    return f"{time.monotonic() - started:.0f} s"


def start_all(state: Path) -> None:
    prepare_dirs(state)
    started = time.monotonic()
    start_databases(state)
    start_redis(state)
    print(f"db host: primary :{PRIMARY_PORT}, replica :{REPLICA_PORT}, redis :{REDIS_PORT} "
          f"({time.monotonic() - started:.0f} s)")  # fmt: skip
    install_schema(state)
    print(f"schema migrated, reference data loaded, partner seeded ({since(started)})")
    start_sinks(state)
    for host in ("app1", "app2"):
        start_app(state, host)
    for host in ("work1", "work2"):
        start_worker(state, host)
    start_proxy(state)
    for host in ("app1", "app2"):
        wait_http(f"http://{HOSTS[host]}:{APP_PORT}/healthz")
    wait_http(f"http://{GATEWAY}:{PROXY_PORT}/healthz")
    print(f"app1, app2, work1, work2, nginx and the sinks running ({since(started)})")
