"""Keep one command running, as systemd's ``Restart=always`` would (``RestartSec=1``).

    supervise.py PIDFILE -- COMMAND...

The command runs in a session (process group) of its own, its pid in PIDFILE, so a fault can
``kill -9`` the whole group (granian's main process and its workers) as a machine's crash
would. When it exits for any reason it is started again after a second, and each exit is
written to standard error with its status. SIGTERM to the supervisor passes SIGTERM to the
group, waits up to 30 s, then SIGKILLs it and exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

STOP = [False]


def main() -> None:
    pidfile, sep, *command = sys.argv[1:]
    assert sep == "--" and command, __doc__
    child: list[subprocess.Popen[bytes]] = []

    def stop(_signo: int, _frame: object) -> None:
        STOP[0] = True
        if child and child[0].poll() is None:
            os.killpg(child[0].pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    starts = 0
    while not STOP[0]:
        starts += 1
        proc = subprocess.Popen(command, start_new_session=True)
        child[:] = [proc]
        Path(pidfile).write_text(f"{proc.pid}\n")
        print(f"supervise: start {starts} pid {proc.pid}", file=sys.stderr, flush=True)
        stop_by = None
        while True:
            try:
                status = proc.wait(timeout=1)
                break
            except subprocess.TimeoutExpired:
                if STOP[0] and stop_by is None:
                    stop_by = time.monotonic() + 30
                if stop_by is not None and time.monotonic() > stop_by:
                    os.killpg(proc.pid, signal.SIGKILL)
        print(f"supervise: pid {proc.pid} exited with {status}", file=sys.stderr, flush=True)
        if not STOP[0]:
            time.sleep(1)
    with contextlib.suppress(ProcessLookupError, IndexError):
        os.killpg(child[0].pid, signal.SIGKILL)  # leftovers of the group (granian's workers)


if __name__ == "__main__":
    main()
