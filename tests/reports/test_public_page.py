"""A page of the public list: a search walks the reports newest first within a time budget,
and past it sorts the matches read from the text's index; both give the same rows, and the
budget never outlives the page's read."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connection
from psycopg.errors import QueryCanceled

from lapor.reports import selectors
from lapor.reports.selectors import PublicFilter, public_list, public_page
from tests.factories import submit

pytestmark = pytest.mark.django_db


def _titles(rows):  # type: ignore[no-untyped-def]
    return [r.title for r in rows]


@pytest.fixture
def reports() -> None:
    for n in range(7):
        submit(is_confidential=False, title=f"Jembatan gantung retak nomor {n}")
    submit(is_confidential=False, title="Lampu jalan padam")
    submit(is_confidential=True, title="Jembatan rahasia retak")


def test_a_search_page_is_the_newest_matches(reports):
    qs = public_list(PublicFilter(q="jembatan retak"))
    rows = public_page(qs, 2, 3, searched=True)
    assert _titles(rows) == [f"Jembatan gantung retak nomor {n}" for n in (4, 3, 2)]


@pytest.mark.postgres
def test_past_the_budget_the_matches_are_sorted_into_the_same_page(reports):
    qs = public_list(PublicFilter(q="jembatan retak"))
    walked = public_page(qs, 0, 5, searched=True)
    real_list = list
    cancelled: list[bool] = []

    def slow_walk(window):  # type: ignore[no-untyped-def]
        if getattr(window, "query", None) is not None and window.query.order_by == (
            "-submitted_at",
            "-pk",
        ):
            cancelled.append(True)
            raise OperationalError("canceling statement") from QueryCanceled()
        return real_list(window)

    with mock.patch.object(selectors, "list", slow_walk, create=True):
        sorted_rows = public_page(qs, 0, 5, searched=True)
    assert cancelled == [True]  # the walk ran out of its budget once, then the sort answered
    assert _titles(sorted_rows) == _titles(walked)
    assert "Jembatan rahasia retak" not in _titles(sorted_rows)


@pytest.mark.postgres
def test_the_budget_ends_with_the_read():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
    public_page(public_list(PublicFilter(q="jembatan")), 0, 5, searched=True)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before
