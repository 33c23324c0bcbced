"""The same push sent at the same moment by several processes (threads with their own
connections, on PostgreSQL): one report; every other answer is the stored one or 409."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from lapor.api.tokens import Audience, token_issue
from lapor.reports.models import Report
from tests.api.conftest import ApiClient

REPORTS = "/api/v1/partner/reports"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("key", ['"same-key"', None])
def test_simultaneous_pushes_of_one_report_make_one_report(partner, inbound, key):
    access, _refresh = token_issue(user=partner.user, audience=Audience.PARTNER, partner=partner)
    barrier = threading.Barrier(4)
    answers: list[tuple[int, str]] = []
    replayed: list[bool] = []

    def send() -> None:
        client = ApiClient().as_token(access)
        extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        barrier.wait()
        try:
            response = client.post(REPORTS, inbound, **extra)
            answers.append((response.status_code, response.json().get("tracking_id", "")))
            replayed.append(response.get("Idempotent-Replayed") == "true")
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Report.objects.count() == 1
    tracking_id = Report.objects.get().tracking_id
    assert len(answers) == 4
    assert all(
        (status in (200, 201) and tid == tracking_id) or status == 409 for status, tid in answers
    ), answers
    # one request made it; a later one may replay its stored answer (201 again, marked so)
    made = [a for a, again in zip(answers, replayed, strict=True) if a[0] == 201 and not again]
    assert len(made) == 1, (answers, replayed)
