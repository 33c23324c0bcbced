import pytest
from django.db import connection

from lapor.reports.models import Report
from lapor.reports.selectors import search_text

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_fulltext_condition_is_answered_by_the_gin_index():
    # Given the planner may use neither a table scan nor a plain index walk (a test table is
    # tiny), only a bitmap scan of an index that matches the search condition remains
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = search_text(Report.objects.all(), "jalan rusak").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # Then that index is the full-text GIN index over title and body
    assert "Bitmap Index Scan on report_fulltext_simple" in plan, plan
