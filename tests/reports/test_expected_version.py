"""Every report service refuses a caller who saw an older version of the report (its
``event_count``, ADR 0002), as an API client or a form sends it: ``Conflict`` and nothing
written; the current version passes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from lapor.core.errors import Conflict
from lapor.reports import services
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from tests.factories import AgencyFactory, CategoryFactory, UnitFactory, national_admin
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

Call = Callable[..., Any]


def _kab():  # type: ignore[no-untyped-def]
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


def _officer(status: str, **kw: Any) -> tuple[Report, Call]:
    report, _secret = report_in(status, agency=_kab(), **kw)
    return report, lambda fn, **args: fn(report=report, actor=national_admin(), **args)


def _reporter(status: str, **kw: Any) -> tuple[Report, Call]:
    report, secret = report_in(status, agency=_kab(), **kw)
    return report, lambda fn, **args: fn(report=report, secret=secret, **args)


REASON = "Alasan yang cukup panjang untuk dicatat."
LATER = timedelta(days=5)

# (name, set-up giving the report and how to call as its actor, the service, its arguments)
CASES: list[tuple[str, Callable[[], tuple[Report, Call]], Call, Callable[[], dict]]] = [
    ("triage", lambda: _officer(Status.SUBMITTED), services.report_send_to_triage, dict),
    (
        "dispose",
        lambda: _officer(Status.SUBMITTED),
        services.report_dispose,
        lambda: {"to_agency": AgencyFactory(code="pemkot-3374")},
    ),
    (
        "dispose_unit",
        lambda: _officer(Status.DISPOSED),
        services.report_dispose_unit,
        lambda: {"unit": UnitFactory(code="dinkes-3321", parent=_kab())},
    ),
    (
        "not_authority",
        lambda: _officer(Status.DISPOSED),
        services.report_not_authority,
        lambda: {"reason": REASON},
    ),
    (
        "forward",
        lambda: _officer(Status.DISPOSED),
        services.report_forward,
        lambda: {"to_agency": AgencyFactory(code="pemkot-3374"), "reason": REASON},
    ),
    (
        "hold",
        lambda: _officer(Status.DISPOSED),
        services.report_hold,
        lambda: {"until": timezone.now() + LATER, "reason": REASON},
    ),
    (
        "request_info",
        lambda: _officer(Status.DISPOSED),
        services.report_request_info,
        lambda: {"question": REASON},
    ),
    (
        "follow_up",
        lambda: _officer(Status.DISPOSED),
        services.report_follow_up,
        lambda: {"message": "Jalan sudah kami tambal minggu ini, terima kasih."},
    ),
    ("complete", lambda: _officer(Status.ANSWERED), services.report_complete, dict),
    (
        "archive",
        lambda: _officer(Status.DISPOSED),
        services.report_archive,
        lambda: {"reason": REASON},
    ),
    (
        "merge",
        lambda: _officer(Status.DISPOSED),
        services.report_merge,
        lambda: {"into": report_in(Status.DISPOSED, agency=_kab())[0]},
    ),
    ("note", lambda: _officer(Status.DISPOSED), services.report_add_note, lambda: {"note": "ok"}),
    (
        "change_category",
        lambda: _officer(Status.DISPOSED),
        services.report_change_category,
        lambda: {"category": CategoryFactory(code="jalan")},
    ),
    (
        "set_privacy",
        lambda: _officer(Status.DISPOSED, is_anonymous=False, is_confidential=False),
        services.report_set_privacy,
        lambda: {"is_anonymous": True, "is_confidential": False},
    ),
    (
        "reply",
        lambda: _reporter(Status.ANSWERED),
        services.report_reply,
        lambda: {"message": "Belum selesai, masih berlubang."},
    ),
    ("rate", lambda: _reporter(Status.COMPLETED), services.report_rate, lambda: {"rating": 4}),
    (
        "privacy_consent",
        lambda: _reporter(Status.DISPOSED),
        services.report_privacy_consent,
        lambda: {"is_anonymous": False, "is_confidential": True},
    ),
    ("erase_identity", lambda: _reporter(Status.DISPOSED), services.report_erase_identity, dict),
]


def _resume_case() -> tuple[Report, Call]:
    report, act = _officer(Status.DISPOSED)
    act(services.report_hold, until=timezone.now() + LATER, reason=REASON)
    return report, act


def _reopen_case() -> tuple[Report, Call]:
    report, act = _reporter(Status.COMPLETED)
    act(services.report_rate, rating=1)
    return report, act


CASES.append(("resume", _resume_case, services.report_resume, dict))
CASES.append(("reopen", _reopen_case, services.report_reopen, lambda: {"reason": REASON}))


def _snapshot(report: Report) -> tuple:
    fresh = Report.objects.get(pk=report.pk)
    return (fresh.event_count, fresh.status, fresh.updated_at, fresh.events.count())


@pytest.mark.parametrize(("name", "setup", "service", "args"), CASES, ids=[c[0] for c in CASES])
def test_a_stale_version_is_refused_and_nothing_is_written(name, setup, service, args):
    # given a report that changed after the caller read it
    report, act = setup()
    kwargs = args()
    seen = report.event_count - 1
    before = _snapshot(report)
    # when the caller acts on what it saw
    with pytest.raises(Conflict) as refused:
        act(service, expected_version=seen, **kwargs)
    # then it is told the report changed, and the report and its history are as they were
    assert refused.value.code == "report_changed"
    assert refused.value.status == 409
    assert _snapshot(report) == before


@pytest.mark.parametrize(("name", "setup", "service", "args"), CASES, ids=[c[0] for c in CASES])
def test_the_current_version_passes(name, setup, service, args):
    # given a caller that saw the report as it is
    report, act = setup()
    kwargs = args()
    seen = report.event_count
    # when it acts naming that version
    act(service, expected_version=seen, **kwargs)
    # then the action is recorded as the next event
    assert Report.objects.get(pk=report.pk).event_count == seen + 1


def test_a_caller_naming_no_version_is_checked_as_before():
    # given an officer whose instance is stale (another officer held the report meanwhile)
    report, act = _officer(Status.DISPOSED)
    stale = Report.objects.get(pk=report.pk)
    act(services.report_hold, until=timezone.now() + LATER, reason=REASON)
    # when they act without naming a version, through their stale instance
    with pytest.raises(Conflict):
        services.report_archive(report=stale, actor=national_admin(), reason=REASON)
    # then the report stays on hold
    assert Report.objects.get(pk=report.pk).status == Status.ON_HOLD


def test_the_back_office_form_sends_its_version_and_a_note_never_conflicts(client):
    # given an officer's form showing version N, and a colleague acting after it was shown
    from tests.backoffice.conftest import sign_in
    from tests.factories import officer

    kab = _kab()
    report, _ = report_in(Status.DISPOSED, agency=kab)
    sign_in(client, officer(kab))
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    seen = html.split('name="version" value="')[1].split('"')[0]
    assert seen == str(Report.objects.get(pk=report.pk).event_count)
    services.report_add_note(report=report, actor=national_admin(), note="dicek")
    base = f"/kantor/laporan/{report.tracking_id}/"
    # when the officer sends a note and then a follow-up from that page
    client.post(base + "note/", {"note": "catatan saya", "version": seen})
    response = client.post(
        base + "follow_up/",
        {"message": "Jalan sudah kami tambal minggu ini, terima kasih.", "version": seen},
    )
    # then the note is kept, and the follow-up is refused with the form's own message
    assert report.events.filter(message="catatan saya").exists()
    assert response.status_code == 400
    assert (
        "baru saja diubah oleh petugas lain. Periksa riwayat di bawah" in response.content.decode()
    )
    assert Report.objects.get(pk=report.pk).status == Status.DISPOSED
