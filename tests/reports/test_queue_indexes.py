"""The PostgreSQL indexes behind the queues' descending due-date sort and privacy filter."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_queue_sort_and_privacy_indexes_exist_with_the_sort_order_of_the_queries():
    with connection.cursor() as cur:
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reports_report'")
        defs = dict(cur.fetchall())
    assert "(due_at DESC NULLS LAST, id DESC)" in defs["report_triage_due_desc"]
    assert "WHERE" in defs["report_triage_due_desc"]
    assert "(status, due_at DESC NULLS LAST, id DESC)" in defs["report_status_due_desc"]
    assert "(status, is_confidential)" in defs["report_status_private"]
