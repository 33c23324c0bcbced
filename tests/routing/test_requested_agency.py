"""The agency a citizen names: followed, refined to its unit, or corrected with the reason."""

from __future__ import annotations

import pytest

from lapor.agencies.models import Agency
from lapor.core.errors import ValidationFailed
from lapor.jobs.runner import run_pending
from lapor.regions.models import Region
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import ReportEvent
from tests.factories import submit

pytestmark = pytest.mark.usefixtures("country")


def _routed(code: str, **fields):  # type: ignore[no-untyped-def]
    fields.setdefault("region", Region.objects.get(code="33.21"))
    report = submit(requested_agency=Agency.objects.get(code=code), **fields).report
    run_pending()
    report.refresh_from_db()
    return report


def _dispose_event(report):  # type: ignore[no-untyped-def]
    return ReportEvent.objects.get(report=report, action=Action.DISPOSE)


def test_the_named_agency_is_followed_when_routing_agrees():
    report = _routed(
        "pemkab-3321-disdukcapil",
        title="KTP belum jadi",
        body="Sudah tiga bulan rekam KTP di Kab. Demak tapi blm jadi juga, tolong dibantu.",
    )
    assert report.status == Status.DISPOSED
    assert report.agency.code == "pemkab-3321-disdukcapil"
    assert report.requested_decision["outcome"] == "followed"
    assert report.requested_decision["agreed"] is True
    event = _dispose_event(report)
    assert event.actor_id is None
    assert event.data["requested"]["requested"] == "pemkab-3321-disdukcapil"
    assert event.data["routing"]["suggestions"]  # routing's ranking kept beside the choice
    assert "Instansi pilihan pelapor diikuti" in event.message
    # the submit event records what the citizen asked for
    submitted = ReportEvent.objects.get(report=report, action=Action.SUBMIT)
    assert submitted.data["requested"] == "pemkab-3321-disdukcapil"


def test_the_named_agency_is_followed_when_routing_is_unsure():
    # routing alone would send this to national triage
    report = _routed(
        "pemkab-3321-dinkes",
        title="Mohon ditindaklanjuti",
        body="Mohon perhatiannya untuk masalah di lingkungan kami yang tak kunjung selesai.",
    )
    assert report.status == Status.DISPOSED and report.agency.code == "pemkab-3321-dinkes"
    assert report.requested_decision["outcome"] == "followed"
    assert report.requested_decision["agreed"] is False


def test_a_national_road_is_not_the_regency_s_and_the_reason_is_kept():
    report = _routed(
        "pemkab-3321-pupr",
        title="Jalan nasional pantura amblas",
        body="Jalan nasional jalur pantura di Demak amblas sejak minggu lalu, truk terguling.",
    )
    assert report.agency.code == "kemenpu"
    decision = report.requested_decision
    assert decision["outcome"] == "corrected"
    assert decision["requested"] == "pemkab-3321-pupr" and decision["to"] == "kemenpu"
    assert decision["confidence"] >= 0.8
    assert "jalan nasional" in decision["words"]
    event = _dispose_event(report)
    assert event.message.startswith("Instansi pilihan pelapor dikoreksi: bukan wewenang")
    assert event.data["requested"]["outcome"] == "corrected"


def test_a_government_named_for_a_unit_s_topic_reaches_its_unit():
    report = _routed(
        "pemkab-3321",
        title="KTP belum jadi",
        body="Sudah tiga bulan rekam KTP di Kab. Demak tapi blm jadi juga, tolong dibantu.",
    )
    assert report.agency.code == "pemkab-3321-disdukcapil"
    assert report.requested_decision["outcome"] == "unit"


def test_an_agency_that_receives_no_reports_is_refused_at_submit():
    root = Agency.objects.get(kind=Agency.Kind.NATIONAL)
    with pytest.raises(ValidationFailed) as refused:
        submit(region=Region.objects.get(code="33.21"), requested_agency=root)
    assert refused.value.field == "requested_agency"
    assert "tidak menerima laporan langsung" in str(refused.value)
