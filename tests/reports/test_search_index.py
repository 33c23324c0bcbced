import pytest
from django.db import connection

from lapor.reports.selectors import PublicFilter, public_list

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_public_search_can_use_the_fulltext_index():
    # Given the planner is told to avoid sequential scans (the table is small in a test)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = public_list(PublicFilter(q="jalan rusak")).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    # Then the search condition is answered by the GIN index
    assert "report_fulltext_simple" in plan, plan
