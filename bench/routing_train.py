"""`lapor routing train` on a large database: wall time and peak memory, beside a calibration.

Runs, ``--runs`` times: ``lapor check`` (the calibration: starting Django, same machine, same
moment), then ``lapor routing train`` under ``/usr/bin/time -v`` with a fresh model directory
(``LAPOR_VAR_DIR`` of its own, so every run trains from scratch and nothing is left in the
project's var/). Only reads the database (report events and reports); prints the progress lines
of each run, then min/median/max of wall time, peak RSS and the ratio to the calibration, with
the load average before and after each run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench1m \\
        .venv/bin/python bench/routing_train.py --runs 2
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAPOR = str(ROOT / ".venv/bin/lapor")


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS (MB) and stdout of one command
    under /usr/bin/time -v."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = sum(
        float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
    )
    assert wall and rss, done.stderr
    seconds = int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3])
    return seconds, cpu, int(rss[1]) // 1024, done.stdout


def _spread(values: list[float], unit: str) -> str:
    return (
        f"min={min(values):.1f}{unit} median={statistics.median(values):.1f}{unit} "
        f"max={max(values):.1f}{unit}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("DATABASE_URL must name the benchmark database")
    walls, cpus, rsss, ratios = [], [], [], []
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="lapor-train-") as var:
            env = {**os.environ, "LAPOR_VAR_DIR": var}
            before = _load()
            calibration, calibration_cpu, calibration_rss, _ = _timed([LAPOR, "check"], env)
            wall, cpu, rss, out = _timed([LAPOR, "routing", "train"], env)
        print(out.rstrip())
        print(
            f"run {run}: train wall={wall:.1f} s cpu={cpu:.1f} s peak_rss={rss} MB | calibration "
            f"`lapor check` wall={calibration:.1f} s cpu={calibration_cpu:.1f} s "
            f"rss={calibration_rss} MB | ratio={wall / calibration:.0f}x "
            f"| load before {before}, after {_load()}",
            flush=True,
        )
        walls.append(wall)
        cpus.append(cpu)
        rsss.append(float(rss))
        ratios.append(wall / calibration)
    print(f"train wall: {_spread(walls, ' s')}")
    print(f"train CPU (user + system): {_spread(cpus, ' s')}")
    print(f"train peak RSS: {_spread(rsss, ' MB')}")
    print(f"train / `lapor check`: {_spread(ratios, 'x')}")


if __name__ == "__main__":
    main()
