"""Submitting a WBS report with a 10 MB evidence file and reading it back: seconds and memory
peak, beside a plain copy of the same file in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_wbs \\
        .venv/bin/python bench/wbs.py [--size-mb 10] [--rounds 5]

Each round:

- **submit**: the file (random bytes on disk) is read in 64 KiB pieces, as Django's upload
  handler receives them, into the encrypting stream (``wbs.uploads``' path), then
  ``case_submit`` seals the case (Argon2id of the receipt at the production cost) and moves the
  ciphertext into storage;
- **read**: the inspector's passphrase is checked (Argon2id), the case key unsealed, and the
  file decrypted chunk by chunk into a hash (as the download streams it);
- **calibration**: ``shutil.copyfileobj`` of the same file to another file on the same disk.

Memory is the peak of Python allocations during each step (``tracemalloc``): streamed files
keep it near one chunk whatever the file's size. The process's maximum resident size
(``ru_maxrss``) is printed once at the end. Argon2id's own 64 MiB (libsodium's, outside Python's
allocator) is not in the tracemalloc peak; it is in ``ru_maxrss``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on_postgres

PASSPHRASE = "frasa sandi untuk pengukuran"  # noqa: S105 - a benchmark account
PIECE = 64 * 1024


def measure(step: Callable[[], Any]) -> tuple[float, int, Any]:
    tracemalloc.start()
    start = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, result


def pieces(path: Path) -> Any:
    with path.open("rb") as f:
        while chunk := f.read(PIECE):
            yield chunk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    django_on_postgres()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    work = Path(tempfile.mkdtemp(prefix="lapor-wbs-bench-"))
    settings.MEDIA_ROOT = str(work / "media")

    from lapor.accounts.models import User
    from lapor.agencies.models import Agency, Membership
    from lapor.wbs import crypto, selectors, services
    from lapor.wbs.models import Case, PersonKey

    agency, _ = Agency.objects.get_or_create(
        code="bench-wbs-pemkab", defaults={"name": "Pemkab Pengukuran", "kind": "pemkab"}
    )
    user, _ = User.objects.get_or_create(username="bench-wbs-inspektur")
    Membership.objects.get_or_create(user=user, agency=agency, role=Membership.Role.INSPECTOR)
    cost = services.kdf_cost()
    PersonKey.objects.filter(user=user).delete()
    services.person_key_create(user=user, passphrase=PASSPHRASE)

    source = work / "bukti.bin"
    with source.open("wb") as f:
        for _ in range(args.size_mb * 16):
            f.write(os.urandom(PIECE))
    expected = hashlib.sha256(source.read_bytes()).hexdigest()

    rows: dict[str, list[tuple[float, int]]] = {
        "submit": [],
        "read": [],
        "copy": [],
        "argon2id": [],
    }
    cases = []
    for i in range(args.rounds + 1):  # round 0 warms up (imports, connections) and is not counted

        def submit() -> Case:
            with tempfile.TemporaryFile(dir=work) as out:
                upload = services.encrypt_upload(
                    "bukti.bin", "application/pdf", pieces(source), out
                )
                return services.case_submit(
                    agency=agency,
                    accused="pegawai",
                    content={
                        "what": "Pengukuran",
                        "who": "-",
                        "where": "-",
                        "when": "-",
                        "how": "-",
                    },
                    files=[upload],
                ).case

        seconds, peak, case = measure(submit)
        if i:
            rows["submit"].append((seconds, peak))
        cases.append(case)

        def read(case: Case = case) -> str:
            person = services.person_unlock(user=user, passphrase=PASSPHRASE)
            private = services.case_private_key(case=case, user=user, person_private=person)
            file_id = case.files.get().pk
            _meta, chunks = selectors.open_file(case, private, file_id)
            digest = hashlib.sha256()
            for chunk in chunks:
                digest.update(chunk)
            return digest.hexdigest()

        seconds, peak, digest = measure(read)
        assert digest == expected, "the file came back changed"
        if i:
            rows["read"].append((seconds, peak))

        def copy(i: int = i) -> None:
            with source.open("rb") as a, (work / f"kopi-{i}.bin").open("wb") as b:
                shutil.copyfileobj(a, b, PIECE)

        seconds, peak, _ = measure(copy)
        if i:
            rows["copy"].append((seconds, peak))
        # one Argon2id derivation at the production cost: submit runs one (the receipt), read
        # one (the passphrase)
        salt = crypto.new_salt()
        seconds, peak, _ = measure(lambda salt=salt: crypto.derive(PASSPHRASE, salt, cost))
        if i:
            rows["argon2id"].append((seconds, peak))

    def stats(values: list[float]) -> str:
        return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"

    print(f"{args.size_mb} MiB file, {args.rounds} rounds (+1 warm-up); min / median / max")
    copy_median = statistics.median(s for s, _ in rows["copy"])
    for name, values in rows.items():
        secs = [s for s, _ in values]
        peaks = [p / 2**20 for _, p in values]
        ratios = [s / copy_median for s in secs]
        print(f"{name:7s} seconds {stats(secs)}   /copy {stats(ratios)}   peak MiB {stats(peaks)}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ru_maxrss of the whole run: {rss:.0f} MiB")
    stored = sum(f.stat().st_size for f in (work / "media").rglob("*") if f.is_file())
    print(f"stored ciphertext per file: {stored / len(cases) / 2**20:.2f} MiB (padded)")

    for case in cases:
        case.events.all().delete()
        for f in case.files.all():
            from django.core.files.storage import default_storage

            default_storage.delete(f.storage_name)
        case.delete()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
