"""A partner simulator and partner fixtures for the webhook tests.

``receiver``: a real HTTP server on 127.0.0.1 (random port, in a thread) that verifies each
request's Standard Webhooks signature with ``standardwebhooks.Webhook(secret).verify`` and
answers from a script: ``receiver.script = ["500", "sleep", "410"]`` answers the next requests
so (``sleep`` outlasts the client's timeout), then 200; ``delay`` slows every answer.
``received`` is every verified request (repeats included), ``accepted`` the messages kept once
per ``webhook-id``, as a real receiver dedupes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook

from lapor.agencies.models import Agency
from lapor.api.models import Partner
from lapor.api.partners import partner_create
from lapor.api.webhooks import delivery
from lapor.api.webhooks.models import WebhookEndpoint
from lapor.api.webhooks.services import endpoint_create
from tests.factories import AgencyFactory, UnitFactory, national_admin

SLEEP = 1.5  # longer than the client timeout set below


@dataclass
class Receiver:
    url: str = ""
    secret: str = ""
    script: list[str] = field(default_factory=list)
    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    accepted: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    bad_signatures: int = 0
    delay: float = 0.0  # seconds every answer takes
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, headers: dict[str, str], body: bytes) -> str:
        try:
            payload = Webhook(self.secret).verify(body, headers)
        except Exception:
            with self.lock:
                self.bad_signatures += 1
            return "401"
        with self.lock:
            self.received.append((headers["webhook-id"], payload))
            answer = self.script.pop(0) if self.script else "200"
            if answer == "200" and headers["webhook-id"] not in {i for i, _ in self.accepted}:
                self.accepted.append((headers["webhook-id"], payload))
        return answer

    def by_report(self) -> dict[str, list[int]]:
        seqs: dict[str, list[int]] = {}
        for _, payload in self.accepted:
            seqs.setdefault(payload["data"]["tracking_id"], []).append(payload["data"]["seq"])
        return seqs


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    monkeypatch.setattr(delivery, "TIMEOUT_SECONDS", 0.5)
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            answer = state.handle(headers, body)
            time.sleep(state.delay)
            if answer == "sleep":
                time.sleep(SLEEP)
                answer = "200"
            try:
                self.send_response(int(answer))
                self.end_headers()
            except OSError:
                pass  # the client gave up waiting

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hooks"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def kab(db: None) -> Agency:
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


@pytest.fixture
def unit(kab: Agency) -> Agency:
    return UnitFactory(code="pemkab-3321-dinkes", name="Dinas Kesehatan", parent=kab)


@pytest.fixture
def admin(db: None):  # type: ignore[no-untyped-def]
    return national_admin()


@pytest.fixture
def partner(kab: Agency, admin) -> Partner:  # type: ignore[no-untyped-def]
    return partner_create(code="elapor-demak", name="e-LAPOR! Demak", agencies=[kab], actor=admin)


@pytest.fixture
def endpoint(partner: Partner, receiver: Receiver, admin) -> WebhookEndpoint:  # type: ignore[no-untyped-def]
    made, secret = endpoint_create(partner=partner, url=receiver.url, actor=admin)
    receiver.secret = secret
    return made
