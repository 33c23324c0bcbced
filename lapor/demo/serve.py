"""Running the web server and the background worker side by side until Ctrl-C.

Each child runs in its own process group, so stopping it reaches everything it started; the
parent forwards SIGINT/SIGTERM/SIGHUP, waits, and kills what has not stopped in time. If one
child dies on its own, the other is stopped too: a demo without its worker would look fine and
quietly never route, notify or sweep.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from types import FrameType

GRACE_SECONDS = 10.0


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def lapor_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "lapor.cli", *args]


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for proc in children:
        _signal_group(proc, signal.SIGINT)
    deadline = time.monotonic() + GRACE_SECONDS
    for proc in children:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
    for proc in children:  # whatever a child left behind in its group
        _signal_group(proc, signal.SIGKILL)


def run_together(
    commands: dict[str, list[str]],
    *,
    on_started: Callable[[dict[str, int]], None],
    oneshot: frozenset[str] = frozenset(),
    env: dict[str, dict[str, str]] | None = None,
) -> int:
    """Start every command, wait until a signal arrives or one exits, stop them all.
    Returns 0 after a signal, else the exit code of the child that stopped first. A ``oneshot``
    child (the background demo loader) may finish with exit code 0 while the others go on."""
    stopping: list[int] = []

    def handle(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = {
        sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    }
    children: dict[str, subprocess.Popen[bytes]] = {}
    code = 0
    try:
        for name, command in commands.items():
            extra = (env or {}).get(name, {})
            children[name] = subprocess.Popen(  # noqa: S603
                command, start_new_session=True, env={**os.environ, **extra} if extra else None
            )
        on_started({name: proc.pid for name, proc in children.items()})
        while not stopping:
            exited = [
                (n, p.returncode)
                for n, p in children.items()
                if p.poll() is not None and not (n in oneshot and p.returncode == 0)
            ]
            if exited:
                name, code = exited[0]
                sys.stderr.write(f"lapor demo: {name} berhenti / stopped (exit {code})\n")
                code = code or 1
                break
            time.sleep(0.2)
    finally:
        _stop(list(children.values()))
        for sig, old in previous.items():
            signal.signal(sig, old)
    return code
