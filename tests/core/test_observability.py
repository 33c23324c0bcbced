"""Operating it (ADR 0027): a request ID in every answer and log line, JSON logs without
personal data, Prometheus metrics behind a token, job counters from the worker, and the
settings that fail at start-up naming themselves."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from prometheus_client import REGISTRY
from pythonjsonlogger.json import JsonFormatter

from lapor import config
from lapor.core import metrics
from lapor.core.request_id import HEADER, RequestIdFilter
from lapor.reports.models import Report
from tests import factories
from tests.jobs.tasks import always_fails, record
from tests.jobs.test_locks import finished, run_worker_until

TOKEN = "metrics-token-" + "x" * 20


def scrape(client) -> str:  # type: ignore[no-untyped-def]
    metrics.state.forget()
    answer = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert answer.status_code == 200
    assert answer["Cache-Control"].startswith("max-age=0")
    return answer.content.decode()


def sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in the metrics")


# -- request IDs ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_answer_has_a_random_request_id(client) -> None:
    first = client.get("/lacak/")[HEADER]
    second = client.get("/lacak/")[HEADER]
    assert len(first) == 32 and first != second


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_but_never_a_malformed_one(client) -> None:
    assert client.get("/lacak/", HTTP_X_REQUEST_ID="proxy-1234abcd")[HEADER] == "proxy-1234abcd"
    bad = client.get("/lacak/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")[HEADER]
    assert bad != "<script>alert(1)</script>" and len(bad) == 32


@pytest.mark.django_db
def test_a_whistleblowers_request_never_takes_the_proxys_id(client) -> None:
    answer = client.get("/wbs/", HTTP_X_REQUEST_ID="proxy-1234abcd")
    assert answer[HEADER] != "proxy-1234abcd"


@pytest.mark.django_db
def test_json_log_lines_carry_the_request_id_and_no_address(client) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    spec = settings.LOGGING["formatters"]["json"]
    handler.setFormatter(JsonFormatter(spec["fmt"], rename_fields=spec["rename_fields"]))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        answer = client.get(
            "/laporan/TIDAK-ADA-SAMA-SEKALI/",
            REMOTE_ADDR="203.0.113.77",
            HTTP_USER_AGENT="PonselWarga/1.0",
        )
    finally:
        logger.removeHandler(handler)
    assert answer.status_code == 404
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "the 404 was not logged"
    assert {line["request_id"] for line in lines} == {answer[HEADER]}
    assert {"time", "level", "logger", "message"} <= set(lines[0])
    text = stream.getvalue()
    assert "203.0.113.77" not in text and "PonselWarga" not in text


def test_log_format_and_worker_address_fail_at_start_naming_the_setting() -> None:
    with pytest.raises(config.ConfigError, match="LOG_FORMAT"):
        config.read({"LOG_FORMAT": "xml"})
    with pytest.raises(config.ConfigError, match="WORKER_METRICS_ADDR"):
        config.read({"WORKER_METRICS_ADDR": "127.0.0.1"})
    assert config.read({"LAPOR_ENV": "production"}).log_format == "json"
    assert config.read({}).log_format == "text"
    with pytest.raises(config.ConfigError, match="METRICS_TOKEN"):
        config.check_production(
            config.read(
                {
                    "LAPOR_ENV": "production",
                    "SECRET_KEY": "s" * 40,
                    "ALLOWED_HOSTS": "lapor.go.id",
                    "DATABASE_URL": "postgres://db/lapor",
                    "CACHE_URL": "redis://cache:6379/0",
                    "CLIENT_IP_HEADER": "X-Real-IP",
                    "ATTACHMENT_ACCEL_PREFIX": "",
                    "METRICS_TOKEN": "short",
                }
            )
        )


# -- /metrics ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_are_off_without_a_token_and_closed_to_a_wrong_one(client, settings) -> None:
    settings.LAPOR_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.LAPOR_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


@pytest.mark.django_db
def test_requests_are_counted_by_route_never_by_path(client, settings) -> None:
    settings.LAPOR_METRICS_TOKEN = TOKEN
    report = factories.submit().report
    route = "/lacak/<str:tracking_id>/"
    status = f"{client.get(f'/lacak/{report.tracking_id}/').status_code // 100}xx"
    labels = {"method": "GET", "route": route, "status": status}
    name = "lapor_http_request_duration_seconds_count"
    before = REGISTRY.get_sample_value(name, labels)
    for _ in range(3):
        client.get(f"/lacak/{report.tracking_id}/")
    assert REGISTRY.get_sample_value(name, labels) == before + 3
    text = scrape(client)
    assert f'route="{route}"' in text
    assert report.tracking_id not in text


@pytest.mark.django_db
def test_state_gauges_count_waiting_jobs_and_overdue_reports(client, settings, tmp_path) -> None:
    settings.LAPOR_METRICS_TOKEN = TOKEN
    start = scrape(client)
    waiting = sample(start, "lapor_jobs_waiting")
    overdue = sample(start, "lapor_reports_overdue")
    record.enqueue("gauge", str(tmp_path / "log"))
    assert sample(scrape(client), "lapor_jobs_waiting") == waiting + 1
    report = factories.submit().report
    Report.objects.filter(pk=report.pk).update(overdue_since=timezone.now() - timedelta(hours=1))
    text = scrape(client)
    assert sample(text, "lapor_reports_overdue") == overdue + 1
    assert sample(text, "lapor_webhooks_failing") == 0
    assert sample(text, "lapor_jobs_next_wait_seconds") >= 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_counts_jobs_by_task_and_outcome(tmp_path) -> None:
    def value(task: str, outcome: str) -> float:
        labels = {"task": f"tests.jobs.tasks.{task}", "outcome": outcome}
        return REGISTRY.get_sample_value("lapor_jobs_total", labels) or 0.0

    ok_before, failed_before = value("record", "succeeded"), value("always_fails", "failed")
    done = record.enqueue("counted", str(tmp_path / "log"))
    broken = always_fails.enqueue("counted")
    crashed = run_worker_until(lambda: finished(done.id)() and finished(broken.id)())
    assert not crashed
    assert value("record", "succeeded") == ok_before + 1
    assert value("always_fails", "failed") == failed_before + 1
