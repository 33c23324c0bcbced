"""The public views' own read of a report's version (``api.public.heads``) answers exactly what
``reports.selectors.report_head`` does, field by field, in one query: a column read into the
wrong field would serve a stale answer or show a rahasia report."""

from __future__ import annotations

import pytest

from lapor.api.public.heads import FIELDS, report_head
from lapor.reports import selectors

pytestmark = pytest.mark.django_db


def test_every_field_is_the_one_the_orm_reads(public_report, django_assert_num_queries):
    report = public_report()
    report.support_count = 7  # distinct values, so no two fields could be swapped unnoticed
    report.save(update_fields=["support_count"])
    expected = selectors.report_head(report.tracking_id)

    with django_assert_num_queries(1):
        head = report_head(report.tracking_id)

    assert head is not None and expected is not None
    assert {f: getattr(head, f) for f in FIELDS} == {f: getattr(expected, f) for f in FIELDS}
    assert head.last_event_hash == report.last_event_hash and head.support_count == 7


def test_a_missing_report_has_no_head():
    assert report_head("XXXXXXXXXXXX") is None
