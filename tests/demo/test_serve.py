"""``lapor demo``: the site and the worker run together, and Ctrl-C stops both."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _start_demo(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], queue.Queue[str]]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LAPOR_VAR_DIR"] = str(tmp_path / "var")
    proc = subprocess.Popen(
        [sys.executable, "-m", "lapor.cli", "demo", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return proc, lines


def _wait_for(
    proc: subprocess.Popen[str], lines: queue.Queue[str], pattern: str, seconds: float
) -> tuple[re.Match, str]:
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None and lines.empty():
                break
            continue
        seen.append(line)
        found = re.search(pattern, line)
        if found:
            return found, "".join(seen)
    raise AssertionError(f"no {pattern!r} within {seconds}s; output:\n{''.join(seen)}")


def _get(url: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return response.status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_ctrl_c_stops_the_site_and_the_worker(tmp_path: Path) -> None:
    # given `lapor demo` has set up a fresh database and started the site and the worker
    port = _free_port()
    proc, lines = _start_demo(tmp_path, "--port", str(port), "--count", "0")
    try:
        found, output = _wait_for(proc, lines, r"web PID (\d+), worker PID (\d+)", 240)
        web, worker = int(found.group(1)), int(found.group(2))
        assert f"http://127.0.0.1:{port}/" in output and "demo-lapor-2024" in output
        # the site answers while both run
        assert _get(f"http://127.0.0.1:{port}/", 60) == 200
        assert _group_alive(web) and _group_alive(worker)
        # when the operator presses Ctrl-C
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    # then neither the site nor the worker (nor anything they started) is left running
    assert not _group_alive(web)
    assert not _group_alive(worker)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)


def test_a_busy_port_is_refused_with_advice(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc, lines = _start_demo(tmp_path, "--port", str(port), "--count", "0")
        _wait_for(proc, lines, r"--port", 60)
        assert proc.wait(timeout=30) != 0


def test_a_second_demo_reuses_the_data_of_the_first(tmp_path: Path) -> None:
    # given a first `lapor demo` loaded the reference data and 30 demo reports, then stopped
    port = _free_port()
    first, lines = _start_demo(tmp_path, "--port", str(port), "--count", "30")
    try:
        _, output = _wait_for(first, lines, r"web PID", 300)
        assert "Memuat 30 laporan demo" in output
        assert "admin.nasional" in output and "warga.budi" in output
        first.send_signal(signal.SIGINT)
        assert first.wait(timeout=30) == 0
        # when it runs a second time
        second, lines = _start_demo(tmp_path, "--port", str(port), "--count", "30")
        _, output = _wait_for(second, lines, r"web PID", 120)
        second.send_signal(signal.SIGINT)
        assert second.wait(timeout=30) == 0
    finally:
        for proc in (first, locals().get("second")):
            if proc is not None and proc.poll() is None:
                proc.kill()
    # then it reuses the reference and demo data instead of loading them again
    assert "Data rujukan sudah ada" in output
    assert "Data demo sudah ada" in output


def test_the_first_page_answers_while_the_rest_loads_in_the_background(tmp_path: Path) -> None:
    # given a fresh `lapor demo` asked for 40 reports, 10 of them before the site starts
    port = _free_port()
    proc, lines = _start_demo(tmp_path, "--port", str(port), "--count", "40", "--first", "10")
    try:
        _, output = _wait_for(proc, lines, r"latar belakang", 300)
        assert "Memuat 10 laporan demo pertama" in output
        assert "30 laporan demo lagi dimuat di latar belakang" in output
        # the site answers at once, with the project's own pages (not Django's debug pages)
        assert _get(f"http://127.0.0.1:{port}/", 60) == 200
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/tidak-ada/", timeout=5)
        page = missing.value.read().decode()
        assert missing.value.code == 404 and "Technical response" not in page
        assert "LAPOR!" in page
        assert _get(f"http://127.0.0.1:{port}/favicon.ico", 10) == 200
        # and the background loader finishes the rest while the site and worker run
        _wait_for(proc, lines, r"40/40", 300)
        assert proc.poll() is None  # its end stopped nothing
        assert _get(f"http://127.0.0.1:{port}/laporan/", 30) == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
