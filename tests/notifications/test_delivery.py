"""Delivering notifications: e-mail, SMS gateway over real HTTP, retries, and no double send."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.notifications.delivery import MAX_ATTEMPTS, deliver, requeue_stale
from lapor.notifications.models import Notification
from lapor.notifications.texts import fit_sms

pytestmark = pytest.mark.django_db
S = Notification.Status


class Gateway:
    """A local SMS gateway: records requests and answers as told."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        self.delay = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                gateway.requests.append(
                    {
                        "auth": self.headers["Authorization"],
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                if gateway.delay:
                    time.sleep(gateway.delay)
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if gateway.status == 200 else b'{"error": "x"}')

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings) -> Iterator[Gateway]:  # type: ignore[no-untyped-def]
    gw = Gateway()
    settings.LAPOR_SMS_BACKEND = "http"
    settings.LAPOR_SMS_GATEWAY_URL = gw.url
    settings.LAPOR_SMS_GATEWAY_TOKEN = "token-uji"
    settings.LAPOR_SMS_TIMEOUT_SECONDS = 5
    yield gw
    gw.close()


def sms(to: str = "081234567890", body: str = "LAPOR! 7KQM-3XPA-R9TC: diterima.") -> Notification:
    return Notification.objects.create(kind="submit", channel="sms", recipient=to, body=body)


def email() -> Notification:
    return Notification.objects.create(
        kind="submit",
        channel="email",
        recipient="siti@contoh.id",
        subject="[LAPOR!] Kabar laporan 7KQM-3XPA-R9TC",
        body="Laporan Anda telah kami terima.",
    )


def retries_enqueued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith="deliver_notifications"))


def test_email_goes_out_through_djangos_mail_api(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    note = email()
    assert deliver([note.pk]) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@contoh.id"]
    assert mail.outbox[0].subject == "[LAPOR!] Kabar laporan 7KQM-3XPA-R9TC"
    note.refresh_from_db()
    assert note.status == S.SENT and note.sent_at is not None and note.attempts == 1


def test_email_file_backend_in_development(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "email"
    deliver([email().pk])
    written = "".join(p.read_text() for p in (tmp_path / "email").iterdir())
    assert "siti@contoh.id" in written


def test_sms_posts_json_with_bearer_token(gateway):
    note = sms()
    assert deliver([note.pk]) == 1
    assert gateway.requests == [
        {
            "auth": "Bearer token-uji",
            "body": {"to": "081234567890", "message": "LAPOR! 7KQM-3XPA-R9TC: diterima."},
        }
    ]
    note.refresh_from_db()
    assert note.status == S.SENT


def test_gateway_500_is_retried_with_backoff_then_sent(gateway):
    # Given a gateway failing with 500
    gateway.status = 500
    note = sms()
    # When delivery is attempted
    assert deliver([note.pk]) == 0
    # Then the message waits for a retry with the error kept, and a retry is enqueued later
    note.refresh_from_db()
    assert note.status == S.PENDING and note.attempts == 1
    assert "500" in note.last_error
    assert note.next_attempt_at > timezone.now() + timedelta(seconds=30)
    [retry] = retries_enqueued()
    assert retry.run_after > timezone.now() and retry.args_kwargs["args"] == [[note.pk]]
    # And before the backoff is over, a delivery does nothing
    assert deliver([note.pk]) == 0 and len(gateway.requests) == 1
    # When the gateway recovers and the backoff has passed
    gateway.status = 200
    Notification.objects.filter(pk=note.pk).update(next_attempt_at=timezone.now())
    assert deliver([note.pk]) == 1
    note.refresh_from_db()
    assert note.status == S.SENT and note.attempts == 2


def test_gateway_timeout_is_a_failed_attempt(gateway, settings):
    gateway.delay = 2.0
    settings.LAPOR_SMS_TIMEOUT_SECONDS = 0.3
    note = sms()
    assert deliver([note.pk]) == 0
    note.refresh_from_db()
    assert note.status == S.PENDING and note.attempts == 1
    assert "tidak dapat dihubungi" in note.last_error


def test_gives_up_after_five_attempts(gateway):
    gateway.status = 503
    note = sms()
    for _ in range(MAX_ATTEMPTS):
        Notification.objects.filter(pk=note.pk).update(next_attempt_at=timezone.now())
        deliver([note.pk])
    note.refresh_from_db()
    assert note.status == S.FAILED and note.attempts == MAX_ATTEMPTS
    assert len(gateway.requests) == MAX_ATTEMPTS
    assert deliver([note.pk]) == 0 and len(gateway.requests) == MAX_ATTEMPTS


def test_refused_number_fails_at_once(gateway):
    gateway.status = 422
    note = sms(to="12")
    deliver([note.pk])
    note.refresh_from_db()
    assert note.status == S.FAILED and note.attempts == 1 and "422" in note.last_error
    assert retries_enqueued() == []


def test_sent_message_is_not_sent_again(gateway):
    note = sms()
    deliver([note.pk])
    deliver([note.pk])
    assert len(gateway.requests) == 1


def test_sms_file_backend_appends_lines(settings, tmp_path):
    settings.LAPOR_SMS_BACKEND = "file"
    settings.LAPOR_SMS_FILE_PATH = tmp_path / "outbox" / "sms.jsonl"
    deliver([sms().pk, sms(to="089999999999").pk])
    lines = (tmp_path / "outbox" / "sms.jsonl").read_text().splitlines()
    assert [json.loads(line)["to"] for line in lines] == ["081234567890", "089999999999"]


def test_lost_enqueue_and_dead_sender_are_requeued():
    # Given a message whose enqueue was lost, one a dead worker was sending, and a fresh one
    old = timezone.now() - timedelta(minutes=11)
    lost = sms()
    dead = sms()
    fresh = sms()
    Notification.objects.filter(pk=lost.pk).update(next_attempt_at=old)
    Notification.objects.filter(pk=dead.pk).update(status=S.SENDING, claimed_at=old, attempts=1)
    # When the sweep's requeue runs
    assert requeue_stale() == 2
    # Then the two are enqueued again, the fresh one is left to its own task
    [task] = retries_enqueued()
    assert task.args_kwargs["args"] == [[lost.pk, dead.pk]]
    dead.refresh_from_db()
    assert dead.status == S.PENDING
    assert fresh.pk not in task.args_kwargs["args"][0]
    # And a second run right after does not enqueue them again
    assert requeue_stale() == 0


def test_sms_text_fits_one_message():
    long = "LAPOR! 7KQM-3XPA-R9TC: penanganan ditunda. " + "menunggu anggaran " * 20
    text = fit_sms(long)
    assert len(text) == 160 and text.endswith("...")
    assert fit_sms("Laporan \u201cjalan\u201d \u2026") == 'Laporan "jalan" ...'


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_message(gateway):
    # Given 30 messages and two workers delivering the same ids at the same time
    from django.db import connection

    notes = [sms(to=f"08{i:010d}") for i in range(30)]
    ids = [n.pk for n in notes]
    barrier = threading.Barrier(2)

    def work() -> None:
        try:
            barrier.wait()
            deliver(ids)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then every message reached the gateway exactly once
    sent_to = sorted(r["body"]["to"] for r in gateway.requests)
    assert sent_to == sorted(n.recipient for n in notes)
    assert Notification.objects.filter(pk__in=ids, status=S.SENT, attempts=1).count() == 30
