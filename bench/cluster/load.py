"""The load of the fault run: citizens' reports through a partner system, officers acting on
them, and public reads, at a steady rate through the proxy; every attempt and its answer is a
line of ``logs/load.jsonl``.

- **submit** (``--submit-rate``/s): ``POST /api/v1/partner/reports`` with a new
  ``external_id`` and ``Idempotency-Key`` each, as a regional e-LAPOR! pushes a citizen's
  report. A partner retries what it did not see succeed with the *same* key and body: after a
  5xx, a 409 ``idempotency_in_flight``, a refused or cut connection or a timeout, it waits
  (1 s doubling to 15 s) and sends again, for up to ``--give-up`` seconds. Each attempt is
  logged: ``ok`` with the ``tracking_id`` and status (201 new, 200 replayed or matched by
  ``external_id``), or the error the client saw.
- **officer** (``--officer-rate``/s): the national admin's officer API. A report that got a
  success answer at least 5 s ago is read (``GET /api/v1/officer/reports/<id>``), then one
  action taken with the ``version`` read: ``dispose`` to the partner's agency when offered
  (a ``report.disposed`` webhook), else ``follow_up`` (the reporter is told), else ``note``.
  A failed attempt is not repeated blindly: the officer reads again and decides again (a 409
  ``report_changed`` is the officer's own answer to a lost reply).
- **read** (``--read-rate``/s): ``GET /api/v1/track/<id>/`` of a report 10-120 s old, as an
  anonymous visitor (eligible for the replica).

Stops after ``--seconds`` or when ``STATE/stop-load`` exists, then waits for the submissions
still retrying (at most ``--give-up`` s).
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROXY = "http://10.77.0.1:8080"
HOSTNAME = "lapor.test"
LOCK = threading.Lock()
WORDS = ("lampu jalan padam", "jalan berlubang", "sampah menumpuk", "saluran air tersumbat",
         "pelayanan puskesmas lambat", "antrean KTP panjang", "banjir di gang",
         "pohon tumbang", "trotoar rusak", "pungutan liar di sekolah")  # fmt: skip


class Log:
    def __init__(self, path: Path) -> None:
        self.file = path.open("a", buffering=1)

    def write(self, **row: object) -> None:
        with LOCK:
            self.file.write(json.dumps({"t": time.time(), **row}) + "\n")


def call(method: str, path: str, *, body: object = None, headers: dict[str, str] | None = None,
         timeout: float = 40) -> tuple[int, dict | None, str]:  # fmt: skip
    """(status, JSON body or None, error text); status 0 for a connection that failed."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310
        PROXY + path, data=data, method=method,
                                     headers={"Host": HOSTNAME, **(headers or {})})  # fmt: skip
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            raw = answer.read()
            return answer.status, _json(raw), ""
    except urllib.error.HTTPError as error:
        raw = error.read()
        parsed = _json(raw)
        code = (parsed or {}).get("code") if isinstance(parsed, dict) else None
        return error.code, parsed, str(code or raw[:80].decode("utf-8", "replace"))
    except (OSError, TimeoutError) as error:
        return 0, None, type(error).__name__ + ": " + str(error)[:80]


def _json(raw: bytes) -> dict | None:
    try:
        value = json.loads(raw)
        return value if isinstance(value, dict) else {"value": value}
    except ValueError:
        return None


class Partner:
    """The partner's access token, asked again with the client key when refused."""

    def __init__(self, seed: dict) -> None:
        pair = f"{seed['client_id']}:{seed['client_secret']}".encode()
        self.basic = "Basic " + base64.b64encode(pair).decode()
        self.token = ""
        self.lock = threading.Lock()

    def bearer(self, renew: bool = False) -> str:
        with self.lock:
            while renew or not self.token:
                request = urllib.request.Request(  # noqa: S310
                    PROXY + "/api/v1/partner/token", data=b"grant_type=client_credentials",
                    headers={"Host": HOSTNAME, "Authorization": self.basic,
                             "Content-Type": "application/x-www-form-urlencoded"},
                )  # fmt: skip
                try:
                    with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310
                        self.token = json.loads(answer.read())["access_token"]
                        renew = False
                except (OSError, ValueError, KeyError):
                    time.sleep(1)
            return self.token


class Load:
    def __init__(self, state: Path, args: argparse.Namespace) -> None:
        self.state, self.args = state, args
        self.seed = json.loads((state / "seed.json").read_text())
        self.log = Log(state / "logs" / "load.jsonl")
        self.partner = Partner(self.seed)
        self.ok: list[tuple[float, str]] = []  # (when answered, tracking id)
        self.pool = ThreadPoolExecutor(max_workers=96)
        self.run_id = uuid.uuid4().hex[:6]

    def stopped(self, until: float) -> bool:
        return time.time() >= until or (self.state / "stop-load").exists()

    # --- the three kinds of request -----------------------------------------------------------

    def submit(self, n: int) -> None:
        external_id = f"klaster-{self.run_id}-{n}"
        key = str(uuid.uuid4())
        topic = random.choice(WORDS)
        body = {
            "external_id": external_id,
            "type": "pengaduan",
            "title": f"{topic.capitalize()} nomor {n}",
            "body": f"Laporan warga nomor {n} lewat sistem mitra: {topic} sejak minggu lalu, "
            f"mohon segera ditindaklanjuti oleh dinas terkait. Kode {uuid.uuid4().hex[:8]}.",
            "region": self.seed["region"],
            "is_anonymous": False,
            "is_confidential": False,
            "contact": {
                "name": f"Warga {n}",
                "email": f"warga{n}@contoh.id",
                "phone": f"08123{n:07d}",
            },
        }
        give_up = time.time() + self.args.give_up
        wait, attempt = 1.0, 0
        while True:
            attempt += 1
            headers = {"Authorization": f"Bearer {self.partner.bearer()}",
                       "Idempotency-Key": f'"{key}"'}  # fmt: skip
            status, answer, error = call("POST", "/api/v1/partner/reports", body=body,
                                         headers=headers)  # fmt: skip
            if status in (200, 201) and answer and answer.get("tracking_id"):
                self.log.write(kind="submit", n=n, external_id=external_id, key=key,
                               attempt=attempt, status=status, ok=True,
                               tracking_id=answer["tracking_id"])  # fmt: skip
                with LOCK:
                    self.ok.append((time.time(), answer["tracking_id"]))
                return
            self.log.write(kind="submit", n=n, external_id=external_id, key=key,
                           attempt=attempt, status=status, ok=False, error=error)  # fmt: skip
            if status == 401:
                self.partner.bearer(renew=True)
            elif status and status < 500 and status not in (408, 409, 429):
                return  # the client's own mistake: a partner would not resend it unchanged
            if time.time() + wait > give_up:
                self.log.write(kind="submit", n=n, external_id=external_id, key=key,
                               gave_up=True, ok=False)  # fmt: skip
                return
            time.sleep(wait)
            wait = min(wait * 2, 15.0)

    def pick(self, low: float, high: float) -> str | None:
        now = time.time()
        with LOCK:
            choices = [tid for at, tid in self.ok[-600:] if low <= now - at <= high]
        return random.choice(choices) if choices else None

    def officer(self) -> None:
        tid = self.pick(5, 600)
        if tid is None:
            return
        auth = {"Authorization": f"Bearer {self.seed['officer_access']}"}
        status, report, error = call("GET", f"/api/v1/officer/reports/{tid}", headers=auth)
        if status != 200 or not report:
            self.log.write(kind="officer_read", tracking_id=tid, status=status, ok=False,
                           error=error)  # fmt: skip
            return
        offered, version = report.get("actions") or [], report.get("version")
        if "dispose" in offered:
            action, body = "dispose", {"to_agency": self.seed["agency"],
                                       "note": "Mohon ditindaklanjuti."}  # fmt: skip
        elif "follow_up" in offered:
            action, body = "follow_up", {"message": "Sudah kami teruskan ke petugas lapangan."}
        else:
            action, body = "note", {"note": "Dipantau dalam uji klaster."}
        if action != "note":
            body["expected_version"] = version
        status, after, error = call("POST", f"/api/v1/officer/reports/{tid}/actions/{action}",
                                    body=body, headers=auth)  # fmt: skip
        ok = status == 200
        self.log.write(kind="officer", tracking_id=tid, action=action, status=status, ok=ok,
                       version=(after or {}).get("version") if ok else None,
                       error=error)  # fmt: skip

    def read(self) -> None:
        tid = self.pick(10, 120)
        if tid is None:
            return
        status, _answer, error = call("GET", f"/api/v1/track/{tid}/")
        self.log.write(kind="read", tracking_id=tid, status=status, ok=status == 200, error=error)

    # --- the schedule ------------------------------------------------------------------------

    def run(self) -> None:
        args = self.args
        started = time.time()
        until = started + args.seconds
        rates = [("submit", args.submit_rate), ("officer", args.officer_rate),
                 ("read", args.read_rate)]  # fmt: skip
        due = {kind: started for kind, _ in rates}
        counts = dict.fromkeys(due, 0)
        pending = []
        self.log.write(kind="start", run_id=self.run_id)
        while not self.stopped(until):
            now = time.time()
            for kind, rate in rates:
                while rate > 0 and due[kind] <= now:
                    due[kind] += 1 / rate
                    counts[kind] += 1
                    if kind == "submit":
                        pending.append(self.pool.submit(self.submit, counts[kind]))
                    else:
                        self.pool.submit(getattr(self, kind))
            time.sleep(max(0.0, min(due.values()) - time.time()))
        self.log.write(kind="stop", offered=counts)
        print(f"load: offered {counts}; waiting for retries", flush=True)
        for future in pending:
            future.result()
        self.pool.shutdown(wait=True)
        self.log.write(kind="done")
        print("load: done", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("state", type=Path)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--submit-rate", type=float, default=4)
    parser.add_argument("--officer-rate", type=float, default=1)
    parser.add_argument("--read-rate", type=float, default=1)
    parser.add_argument("--give-up", type=float, default=480,
                        help="seconds a partner keeps resending one report")  # fmt: skip
    args = parser.parse_args()
    Load(args.state, args).run()


if __name__ == "__main__":
    main()
