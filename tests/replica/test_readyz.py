"""``/readyz`` reports the read replica when one is configured: a replica that stops answering
makes the answer ``degraded`` (reads fall back to the primary), never ``fail``."""

from __future__ import annotations

import pytest

from lapor.core import dbrouter
from tests.replica.conftest import Replication, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.urls("tests.replica.urls"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


def ready(client) -> dict:  # type: ignore[no-untyped-def]
    answer = client.get("/readyz")
    assert answer.status_code == 200
    return answer.json()


def test_readyz_reports_a_streaming_replica_and_its_lag(routed: Replication, client) -> None:
    body = ready(client)
    replica = body["checks"]["replica"]
    assert replica["ok"] is True
    assert 0 <= replica["lag_s"] <= replica["max_lag_s"] == 5
    assert body["checks"]["database"]["ok"] is True


def test_a_replica_that_is_down_makes_readyz_degraded_not_failed(
    routed: Replication, client
) -> None:
    routed.stop(routed.replica)
    try:
        body = ready(client)
        assert body["status"] == "degraded"
        assert body["checks"]["replica"] == {
            "ok": False,
            "error": "ConnectionError",
            "ms": body["checks"]["replica"]["ms"],
        }
        assert body["checks"]["database"]["ok"] is True
    finally:
        routed.start(routed.replica)
        wait_for(lambda: dbrouter.measure()[0])
    assert ready(client)["checks"]["replica"]["ok"] is True


def test_without_a_replica_readyz_does_not_mention_one(client, settings) -> None:
    settings.LAPOR_READ_REPLICA = False
    assert "replica" not in ready(client)["checks"]
