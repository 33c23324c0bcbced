import pytest

from lapor.reports import services
from lapor.reports.lifecycle import Status
from lapor.reports.tasks import route_report
from tests.factories import AgencyFactory, national_admin, officer, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_submit_route_dispose_follow_up():
    sub = submit()
    report = sub.report
    assert report.status == Status.SUBMITTED
    assert len(sub.secret) == 16
    route_report.call(report.pk)
    report.refresh_from_db()
    assert report.status == Status.TRIAGE
    agency = AgencyFactory()
    services.report_dispose(report=report, to_agency=agency, actor=national_admin())
    assert report.status == Status.DISPOSED and report.agency == agency
    services.report_follow_up(
        report=report,
        actor=officer(agency),
        message="Jalan sudah kami perbaiki pada hari Senin kemarin.",
    )
    assert report.status == Status.ANSWERED
    assert report.events.count() == 4
