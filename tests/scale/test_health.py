"""``/healthz`` and ``/readyz``: what a load balancer and monitoring see, with the database,
the cache and the job queue each working, down or lagging; and nothing about any report."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lapor.core import health
from tests.factories import submit

pytestmark = pytest.mark.django_db


def _ready(client) -> tuple[int, dict]:  # type: ignore[no-untyped-def, type-arg]
    answer = client.get("/readyz")
    assert answer["Content-Type"] == "application/json"
    assert "no-cache" in answer["Cache-Control"] or "max-age=0" in answer["Cache-Control"]
    return answer.status_code, json.loads(answer.content)


def test_liveness_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.content == b"ok"


def test_ready_when_database_cache_and_queue_are_fine(client):
    # Given a quiet platform, then every check passes
    status, body = _ready(client)
    assert status == 200 and body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "cache": True, "queue": True,
    }  # fmt: skip
    assert body["checks"]["queue"]["waiting"] == 0


def test_a_lagging_queue_is_degraded_not_unready(client):
    # Given jobs waiting, the next of which was enqueued ten minutes ago
    submit()  # a routing job, waiting
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    # Then the app server stays in the balancer, and the answer says the queue lags
    status, body = _ready(client)
    queue = body["checks"]["queue"]
    assert status == 200 and body["status"] == "degraded"
    assert queue["ok"] is False and queue["waiting"] >= 1 and queue["next_age_s"] >= 590


def test_a_broken_cache_is_degraded(client, monkeypatch):
    # Given a cache that fails every call (Redis gone)
    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("redis down")

    monkeypatch.setattr(health.cache, "set", boom)
    status, body = _ready(client)
    # Then the pages still work: degraded, with the error's kind only
    assert status == 200 and body["status"] == "degraded"
    assert body["checks"]["cache"] == {
        "ok": False, "error": "ConnectionError", "ms": body["checks"]["cache"]["ms"],
    }  # fmt: skip


def test_no_database_is_unready(client, monkeypatch):
    # Given a database that does not answer
    def down() -> dict:  # type: ignore[type-arg]
        return {"ok": False, "error": "OperationalError", "ms": 1.0}

    monkeypatch.setattr(health, "_database", down)
    status, body = _ready(client)
    # Then the balancer takes this server out
    assert status == 503 and body["status"] == "fail"


def test_readiness_names_no_report_or_person(client):
    # Given a rahasia report by a named reporter, waiting for routing
    report = submit(is_confidential=True, contact_name="Siti Aminah").report
    # Then the readiness answer holds counts and times only
    text = client.get("/readyz").content.decode()
    for secret in (report.tracking_id, "Siti Aminah", report.title, "siti@contoh.id"):
        assert secret not in text
