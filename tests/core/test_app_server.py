"""The production app server, granian (WSGI), serves the whole stack as deployed: pages with
their headers and cookies, static files through WhiteNoise, a multipart submission with a
photo, the track page from the cache, and errors. Runs the real server in a subprocess on a
SQLite database of its own."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from tests.portal.conftest import PNG

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GRANIAN = Path(sys.executable).parent / "granian"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _lapor(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "lapor.cli", *args],
        env=env, cwd=ROOT, check=True, capture_output=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def site_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated site with its reference data and static files, shared by the servers below."""
    if not GRANIAN.exists():
        pytest.fail(f"{GRANIAN} is missing: granian is a dependency (make install)")
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CACHE_URL")}
    env.update(
        LAPOR_VAR_DIR=str(var),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        SECRET_KEY="app-server-test-" + "k" * 40,
    )
    _lapor(env, "migrate", "--noinput")
    _lapor(env, "reference", "load")
    _lapor(env, "collectstatic", "--noinput")
    return env


@contextlib.contextmanager
def _serving(env: dict[str, str], *, workers: int, threads: int) -> Iterator[str]:
    """granian serving the site with ``env``, once it answers; stopped afterwards."""
    port = _free_port()
    proc = subprocess.Popen(
        [str(GRANIAN), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--blocking-threads", str(threads), "--no-ws",
         "--log-level", "warning", "lapor.wsgi:application"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    _wait_for(base + "/lacak/", proc)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _wait_for(
    url: str, proc: subprocess.Popen[bytes], headers: dict[str, str] | None = None
) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
            with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - loopback
                return str(answer.read().decode())
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out = proc.communicate()[0].decode(errors="replace")
                pytest.fail(f"{url} did not answer within 30 s:\n{out}")
            time.sleep(0.3)


@pytest.fixture(scope="module")
def server(site_env: dict[str, str]) -> Iterator[str]:
    with _serving(site_env, workers=1, threads=2) as base:
        yield base


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _browser() -> urllib.request.OpenerDirector:
    """A client that keeps cookies, like a browser, and shows redirects instead of following."""
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())


def _get(
    opener: urllib.request.OpenerDirector, url: str | urllib.request.Request
) -> tuple[int, Message, str]:
    """Status, headers (case-insensitive: granian sends them in lower case) and body."""
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _multipart(
    fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(head.encode() + value.encode() + b"\r\n")
    for name, (filename, content, kind) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, f"no {name} in the form"
    return found.group(1)


def test_home_page_with_security_headers_and_its_stylesheet(server: str) -> None:
    status, headers, html = _get(_browser(), server + "/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert '<html lang="id"' in html
    css = re.search(r'href="(/static/[^"]+\.css)"', html)
    assert css, "the home page links no stylesheet"
    status, headers, body = _get(_browser(), server + css.group(1))
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert len(body) > 100


def test_a_guest_submits_with_a_photo_then_tracks_it(server: str) -> None:
    browser = _browser()
    status, _, form = _get(browser, server + "/lapor/")
    assert status == 200
    region = re.search(r'<option value="(\d\d\.\d\d)"', form)
    assert region, "the submit form offers no kabupaten/kota"
    body, kind = _multipart(
        {
            "csrfmiddlewaretoken": _field(form, "csrfmiddlewaretoken"),
            "form_token": _field(form, "form_token"),
            "type": "pengaduan",
            "title": "Jalan berlubang di depan pasar",
            "body": "Lubang besar di tengah jalan sudah dua minggu, banyak pengendara jatuh.",
            "region": region.group(1),
            "contact_name": "Siti",
            "contact_email": "siti@contoh.id",
        },
        {"attachments": ("lubang.png", PNG, "image/png")},
    )
    request = urllib.request.Request(  # noqa: S310 - loopback
        server + "/lapor/",
        data=body,
        headers={"Content-Type": kind, "Referer": server + "/lapor/"},
        method="POST",
    )
    status, headers, page = _get(browser, request)
    assert status == 302, page[:2000]
    status, _, confirmation = _get(browser, server + headers["Location"])
    assert status == 200
    tracking = re.search(r'id="tracking-id"[^>]*>([0-9A-Z-]+)<', confirmation)
    assert tracking, confirmation[:2000]
    # A stranger (no cookies) sees the public track page, rendered then served from the cache
    # (at its canonical address, the tracking ID without dashes).
    canonical = tracking.group(1).replace("-", "")
    for _ in range(2):
        status, _, track = _get(_browser(), f"{server}/lacak/{canonical}/")
        assert status == 200
        assert tracking.group(1) in track
        assert "siti@contoh.id" not in track
    # A phone checking again with the page's tag gets 304 and no body.
    phone = _browser()
    url = f"{server}/lacak/{canonical}/"
    status, headers, _ = _get(phone, url)
    assert status == 200 and headers["ETag"]
    again = urllib.request.Request(url, headers={"If-None-Match": headers["ETag"]})  # noqa: S310
    status, _, body = _get(phone, again)
    assert (status, body) == (304, "")


def test_unknown_report_is_a_404_page_in_bahasa_indonesia(server: str) -> None:
    status, headers, html = _get(_browser(), server + "/lacak/ZZZZ-ZZZZ-ZZZZ/")
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="id"' in html


def test_english_pages_under_en(server: str) -> None:
    status, _, html = _get(_browser(), server + "/en/lacak/")
    assert status == 200
    assert '<html lang="en"' in html


# -- Prometheus metrics from real processes (ADR 0027) -------------------------------------

TOKEN = "metrics-token-" + "m" * 24
ROUTE = 'route="/lacak/"'


def _count(text: str, *parts: str) -> float:
    return sum(
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith("lapor_http_request_duration_seconds_count")
        and all(part in line for part in parts)
    )


@pytest.fixture
def metrics_server(site_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """Two granian workers sharing their counts through PROMETHEUS_MULTIPROC_DIR."""
    env = dict(site_env, METRICS_TOKEN=TOKEN, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    with _serving(env, workers=2, threads=1) as base:
        yield base


def _get_text(url: str, headers: dict[str, str] | None = None) -> str:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
        return str(answer.read().decode())


def test_two_workers_report_every_request_between_them(metrics_server: str) -> None:
    server = metrics_server
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = _count(_get_text(server + "/metrics", auth), ROUTE)
    for _ in range(40):  # new connections: granian spreads them over both workers
        _get_text(server + "/lacak/")
    text = _get_text(server + "/metrics", auth)
    assert _count(text, ROUTE, 'method="GET"', 'status="2xx"') - before == 40
    assert "lapor_jobs_waiting" in text and "lapor_reports_overdue" in text


def test_a_job_worker_serves_its_own_counters(site_env: dict[str, str]) -> None:
    port = _free_port()
    worker_env = dict(site_env, WORKER_METRICS_ADDR=f"127.0.0.1:{port}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "lapor.cli", "worker", "--no-startup-delay", "--interval", "0.2"],
        env=worker_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        text = _wait_for(f"http://127.0.0.1:{port}/metrics", proc)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "# TYPE lapor_jobs_total counter" in text
    assert "# TYPE lapor_job_duration_seconds histogram" in text
