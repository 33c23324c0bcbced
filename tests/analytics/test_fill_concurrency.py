"""Fills and writers at the same time, on PostgreSQL (SQLite serialises every writer)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from lapor.analytics.fill import fill
from tests.analytics.data import direct_counts, rollup_counts
from tests.factories import RegencyFactory, submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_fills_running_while_citizens_submit_count_every_event_once():
    # Given citizens submitting from eight connections while two fills run over and over
    region = RegencyFactory()
    errors: list[Exception] = []
    done = threading.Event()

    def citizen(i: int) -> None:
        try:
            for n in range(5):
                submit(
                    region=region, contact_email=f"warga{i}-{n}@contoh.id", is_confidential=False
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    def filler() -> None:
        try:
            while not done.is_set():
                fill(batch_size=3)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    fillers = [threading.Thread(target=filler) for _ in range(2)]
    citizens = [threading.Thread(target=citizen, args=(i,)) for i in range(8)]
    for t in [*fillers, *citizens]:
        t.start()
    for t in citizens:
        t.join(timeout=60)
    done.set()
    for t in fillers:
        t.join(timeout=60)
    # When a last fill catches up
    fill()
    # Then every report is counted exactly once
    assert errors == []
    assert rollup_counts() == direct_counts()
    assert sum(v for k, v in rollup_counts().items() if k[7] == "submitted") == 40
