"""A partner pushes the reports its citizens filed: one report per ``external_id``, and an
``Idempotency-Key`` that replays the first answer, refuses other content (422) and a request
still running (409). Bad input is answered in the error shape with nothing written."""

from __future__ import annotations

import base64
import io
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from lapor.api.partner import idempotency
from lapor.api.partner.records import IdempotencyRecord, PartnerReport
from lapor.reports.models import Report

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/partner/reports"


def _png() -> str:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def test_a_pushed_report_is_filed_through_the_partner_channel(partner_api, inbound, partner):
    # when the partner pushes a report with a photo
    inbound["attachments"] = [{"name": "lampu.png", "content_base64": _png()}]
    response = partner_api.post(REPORTS, inbound)
    # then it is filed, anonim and rahasia by default, with the partner's ID kept
    assert response.status_code == 201, response.json()
    answer = response.json()
    report = Report.objects.get(tracking_id=answer["tracking_id"])
    assert answer["status"] == "submitted"
    assert answer["url"].endswith(f"/api/v1/partner/reports/{report.tracking_id}")
    assert report.channel == "partner" and report.is_anonymous and report.is_confidential
    assert report.attachments.count() == 1
    origin = PartnerReport.objects.get(report=report)
    assert (origin.partner, origin.external_id) == (partner, "DMK-2026-0042")
    # and the partner's service account is the actor of the submit; the citizen stays a guest
    event = report.events.get()
    assert (event.actor_id, event.actor_role) == (partner.user_id, "mitra")
    assert report.reporter is None


def test_a_pushed_report_without_the_citizens_contact_is_filed(partner_api, inbound):
    # given a partner that relays everything to its citizen itself
    del inbound["contact"]
    # when it pushes the report
    response = partner_api.post(REPORTS, inbound)
    # then it is filed all the same
    assert response.status_code == 201, response.json()
    assert Report.objects.filter(tracking_id=response.json()["tracking_id"]).exists()


def test_the_same_key_five_times_makes_one_report_and_five_identical_answers(partner_api, inbound):
    answers = [
        partner_api.post(REPORTS, inbound, HTTP_IDEMPOTENCY_KEY='"a1b2c3"') for _ in range(5)
    ]
    assert Report.objects.count() == 1
    assert {(r.status_code, r.content) for r in answers} == {(201, answers[0].content)}
    assert [r.get("Idempotent-Replayed") for r in answers] == [None] + ["true"] * 4


def test_an_unquoted_key_is_the_same_key_as_the_quoted_one(partner_api, inbound):
    first = partner_api.post(REPORTS, inbound, HTTP_IDEMPOTENCY_KEY='"k-17"')
    again = partner_api.post(REPORTS, inbound, HTTP_IDEMPOTENCY_KEY="k-17")
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content


def test_the_same_external_id_without_a_key_returns_the_same_report(partner_api, inbound):
    first = partner_api.post(REPORTS, inbound)
    again = partner_api.post(REPORTS, inbound)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["tracking_id"] == first.json()["tracking_id"]
    assert Report.objects.count() == 1


def test_the_same_external_id_with_other_content_is_refused(partner_api, inbound):
    partner_api.post(REPORTS, inbound)
    response = partner_api.post(REPORTS, {**inbound, "title": "Judul lain untuk laporan lain"})
    assert response.status_code == 422
    assert response.json()["code"] == "external_id_reused"
    assert response.json()["field"] == "external_id"
    assert Report.objects.count() == 1


def test_the_same_key_with_another_body_is_422_and_writes_nothing(partner_api, inbound):
    partner_api.post(REPORTS, inbound, HTTP_IDEMPOTENCY_KEY='"k1"')
    other = {**inbound, "external_id": "DMK-2026-0043"}
    response = partner_api.post(REPORTS, other, HTTP_IDEMPOTENCY_KEY='"k1"')
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Report.objects.count() == 1


def test_a_key_still_in_flight_is_409(partner_api, inbound, partner):
    # given a request with the key that started a moment ago and has not answered
    digest_holder = partner_api.post(REPORTS, inbound, HTTP_IDEMPOTENCY_KEY='"k2"')
    IdempotencyRecord.objects.filter(key="k2").update(
        state=IdempotencyRecord.State.IN_FLIGHT, status_code=None, response_body=""
    )
    # when the same request comes again (on PostgreSQL, while that request still holds its
    # key's lock on its own connection)
    with _live_request_holding(partner, "k2"):
        response = partner_api.post(REPORTS, inbound, HTTP_IDEMPOTENCY_KEY='"k2"')
    # then it is told to wait, and nothing more is written
    assert digest_holder.status_code == 201
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_flight"
    assert Report.objects.count() == 1


def test_an_abandoned_in_flight_key_is_taken_over(partner_api, inbound):
    # given a record left in flight by a worker killed ten minutes ago (its report never made)
    partner_api.post(REPORTS, {**inbound, "title": "x"}, HTTP_IDEMPOTENCY_KEY='"k3"')
    record = IdempotencyRecord.objects.get(key="k3")
    long_ago = timezone.now() - timedelta(minutes=10)
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        state=IdempotencyRecord.State.IN_FLIGHT, started_at=long_ago, created_at=long_ago
    )
    # when the partner retries with the key, the request runs
    response = partner_api.post(REPORTS, {**inbound, "title": "x"}, HTTP_IDEMPOTENCY_KEY='"k3"')
    assert response.status_code == 400  # the same (short title) answer, computed anew
    assert response.get("Idempotent-Replayed") is None


@pytest.mark.postgres
def test_a_key_left_in_flight_by_a_dead_request_is_taken_over_at_once(partner_api, inbound):
    # given a record left in flight a moment ago by a request whose process was killed (or
    # whose database connection went away): nobody holds the key's lock any more
    partner_api.post(REPORTS, {**inbound, "title": "x"}, HTTP_IDEMPOTENCY_KEY='"k4"')
    IdempotencyRecord.objects.filter(key="k4").update(
        state=IdempotencyRecord.State.IN_FLIGHT, status_code=None, response_body=""
    )
    # when the partner retries at once, the request runs (no five-minute wait)
    response = partner_api.post(REPORTS, {**inbound, "title": "x"}, HTTP_IDEMPOTENCY_KEY='"k4"')
    assert response.status_code == 400 and response.get("Idempotent-Replayed") is None
    # and the lock is given back: the next retry replays the stored answer
    again = partner_api.post(REPORTS, {**inbound, "title": "x"}, HTTP_IDEMPOTENCY_KEY='"k4"')
    assert again.status_code == 400 and again["Idempotent-Replayed"] == "true"


@contextmanager
def _live_request_holding(partner, key):  # type: ignore[no-untyped-def]
    """PostgreSQL: hold the key's advisory lock on a connection of its own, as a request still
    running in another process does; elsewhere nothing (the record's age decides)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [idempotency._lock_id(partner, key)])
        yield


def test_keys_are_pruned_after_their_keep_time(partner_api, inbound):
    partner_api.post(REPORTS, inbound, HTTP_IDEMPOTENCY_KEY='"old"')
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert idempotency.prune() == 1
    assert not IdempotencyRecord.objects.exists()


def test_a_malformed_key_is_refused_with_what_to_send(partner_api, inbound):
    response = partner_api.post(REPORTS, inbound, HTTP_IDEMPOTENCY_KEY='"unterminated')
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ('{"title": ', "malformed_json", None),
        ({"surprise": 1}, "unknown_field", "surprise"),
        ({"is_anonymous": "yes"}, "invalid", "is_anonymous"),
        ({"title": 42}, "invalid", "title"),
        ({"region": "99.99"}, "invalid", "region"),
        ({"attachments": [{"name": "a.png", "content_base64": "!!"}]}, None, None),
    ],
)
def test_bad_input_is_answered_in_the_error_shape_and_writes_nothing(
    partner_api, inbound, body, code, field
):
    data = body if isinstance(body, str) else {**inbound, **body}
    response = partner_api.post(REPORTS, data, HTTP_IDEMPOTENCY_KEY='"bad"')
    assert response.status_code == 400
    answer = response.json()
    assert set(answer) >= {"code", "message", "field"}
    if code is not None:
        assert (answer["code"], answer["field"]) == (code, field)
    else:
        assert answer["code"] == "invalid_attachment"
    assert not Report.objects.exists()


def test_an_oversized_body_is_413(partner_api, inbound, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = partner_api.post(REPORTS, {**inbound, "body": "x" * 2000})
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not Report.objects.exists()


def test_without_a_partner_token_nothing_is_filed(api, inbound, citizen_token):
    assert api.post(REPORTS, inbound).status_code == 401
    assert api.as_token(citizen_token).post(REPORTS, inbound).status_code == 403
    assert not Report.objects.exists()


def test_the_daily_job_prune_drops_expired_keys(partner_api, inbound):
    from lapor.jobs.retention import prune_results

    partner_api.post(REPORTS, inbound, HTTP_IDEMPOTENCY_KEY='"old"')
    partner_api.post(REPORTS, {**inbound, "external_id": "x2"}, HTTP_IDEMPOTENCY_KEY='"new"')
    IdempotencyRecord.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    prune_results()
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
