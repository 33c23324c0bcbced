"""What one lifecycle action costs the database, with a partner listening: the statements of
``report_dispose`` and ``report_set_privacy`` (each writing its event, its chain link, the
reporter's notification and the partner's webhook row, with their jobs), pinned so that a
change adding a query is noticed (bench/README.md, webhooks.py: the generator is bound by
these services' CPU)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lapor.api.webhooks.models import WebhookDelivery
from lapor.notifications.models import Notification
from lapor.reports import services, sla
from lapor.reports.models import Report
from tests.factories import submit

pytestmark = pytest.mark.django_db

# Inside the test's transaction each service's own ``atomic`` is a savepoint (2 statements).
# report_dispose: the officer's memberships, the row lock, the SLA policy, the UPDATE (the
# changed columns only), the supporters, the notification and its job, the listening endpoints
# with their partners' agencies (one query), the webhook row and its job, the stripe head
# (read and write), the event. The agency the report goes to is the caller's row, read again
# neither by the notification nor by the webhook. Before: 19 (the endpoints took 3 queries,
# the handling agency 2 more).
DISPOSE = 15
# report_set_privacy on a row just read: the report's agency (the permission check), the
# memberships, the lock, the UPDATE, the endpoints, the webhook row and its job, the stripe
# head (2), the event, the reporter's notification and its job. Before: 17.
SET_PRIVACY = 14


def test_a_disposal_and_a_privacy_change_cost_their_pinned_queries(
    kab, endpoint, admin, django_assert_num_queries
):
    # Given a submitted guest report, a partner listening for the agency, and the national
    # default SLA policy (loaded in every deployment: ``reference_load``)
    sla.policy_for(None, None, timezone.now())
    report = submit(is_anonymous=False, is_confidential=False).report
    # When the national admin disposes it to the partner's agency
    with django_assert_num_queries(DISPOSE):
        services.report_dispose(report=report, to_agency=kab, actor=admin)
    # And, on a freshly read row, makes it anonim and rahasia
    fresh = Report.objects.get(pk=report.pk)
    with django_assert_num_queries(SET_PRIVACY):
        services.report_set_privacy(
            report=fresh, actor=admin, is_anonymous=True, is_confidential=True
        )
    # Then both events reached the partner and the reporter, with the agency's own code
    rows = list(WebhookDelivery.objects.order_by("report_seq"))
    assert [(d.event_type, d.payload["data"]["agency"]) for d in rows] == [
        ("report.disposed", kab.code),
        ("report.privacy_changed", kab.code),
    ]
    assert rows[1].payload["data"]["confidential"] is True
    kinds = set(Notification.objects.filter(report=report).values_list("kind", flat=True))
    assert {"dispose", "set_privacy"} <= kinds
    # And the row holds every change (only the changed columns were written)
    saved = Report.objects.get(pk=report.pk)
    assert (saved.agency_id, saved.is_confidential, saved.event_count) == (kab.pk, True, 3)
    assert saved.disposed_at is not None and saved.followup_due_at is not None
    assert saved.body == report.body and saved.title == report.title
