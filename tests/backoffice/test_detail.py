"""The report page: what an officer reads, which forms they get, and what each form does."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from lapor.agencies.models import Membership
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import AccessRecord, Report
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, UnitFactory, national_admin, officer, submit
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

ANSWER = "Lubang sudah kami tambal pada 12 Maret; terima kasih atas laporan Anda."


@pytest.fixture
def kab():  # type: ignore[no-untyped-def]
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


def test_national_admin_disposes_agency_forwards_unit_answers(client, kab):
    dinkes = UnitFactory(parent=kab, code="pemkab-3321-dpu", name="Dinas PU Demak")
    report = submit().report
    assert report.status == Status.SUBMITTED
    # the national admin sees only verify & dispose style actions and disposes to the regency
    sign_in(client, national_admin())
    page = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert 'id="act-dispose"' in page and 'id="act-follow_up"' not in page
    client.post(f"/kantor/laporan/{report.tracking_id}/dispose/", {"to_agency": kab.code})
    report.refresh_from_db()
    assert report.status == Status.DISPOSED and report.agency == kab
    # the agency admin forwards it to a unit
    client.logout()
    sign_in(client, officer(kab))
    page = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert 'id="act-dispose_unit"' in page and 'id="act-dispose"' not in page
    client.post(f"/kantor/laporan/{report.tracking_id}/dispose_unit/", {"unit": dinkes.code})
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS and report.unit == dinkes
    # the unit officer answers
    client.logout()
    sign_in(client, officer(dinkes, Membership.Role.UNIT_OFFICER))
    response = client.post(
        f"/kantor/laporan/{report.tracking_id}/follow_up/", {"message": ANSWER}, follow=True
    )
    report.refresh_from_db()
    assert report.status == Status.ANSWERED
    assert ANSWER in response.content.decode()


def test_too_short_answer_is_refused_next_to_its_form(client, kab):
    report, _ = report_in(Status.DISPOSED, agency=kab)
    sign_in(client, officer(kab))
    response = client.post(f"/kantor/laporan/{report.tracking_id}/follow_up/", {"message": "ok"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tindak lanjut paling sedikit 20 karakter." in html
    assert html.index('id="act-follow_up"') < html.index("paling sedikit 20")
    report.refresh_from_db()
    assert report.status == Status.DISPOSED


def test_anonim_reporter_identity_is_hidden_and_rahasia_opening_is_recorded(client, kab):
    report, _ = report_in(Status.DISPOSED, agency=kab)  # anonim + rahasia by default
    user = officer(kab)
    sign_in(client, user)
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert "Siti Aminah" not in html and "siti@contoh.id" not in html
    assert "Jalan di depan pasar berlubang" in html
    # recorded in the access log the reporter reads, not as a change of the report
    viewed = AccessRecord.objects.filter(report=report, kind=AccessRecord.Kind.CONFIDENTIAL)
    assert viewed.count() == 1 and viewed.get().actor == user and viewed.get().agency == kab
    # and the report's version is untouched: a colleague's open form does not go stale
    version = report.event_count
    report.refresh_from_db()
    assert report.event_count == version
    assert not report.events.filter(action=Action.VIEW_CONFIDENTIAL).exists()


def test_named_reporter_contact_is_shown_to_the_officer(client, kab):
    report, _ = report_in(Status.DISPOSED, agency=kab, is_anonymous=False, is_confidential=False)
    sign_in(client, officer(kab))
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert "Siti Aminah" in html and "siti@contoh.id" not in html  # contact: on request
    html = client.post(f"/kantor/laporan/{report.tracking_id}/", {"show": "contact"})
    assert "siti@contoh.id" in html.content.decode()  # recorded: tests/privacy
    assert not AccessRecord.objects.filter(
        report=report, kind=AccessRecord.Kind.CONFIDENTIAL
    ).exists()


def test_hold_with_a_date_then_internal_note_shows_in_the_timeline(client, kab):
    report, _ = report_in(Status.DISPOSED, agency=kab)
    sign_in(client, officer(kab))
    until = (timezone.now() + timedelta(days=10)).date().isoformat()
    client.post(
        f"/kantor/laporan/{report.tracking_id}/hold/",
        {"until": until, "reason": "Menunggu anggaran perubahan."},
    )
    report.refresh_from_db()
    assert report.status == Status.ON_HOLD and report.hold_until is not None
    client.post(f"/kantor/laporan/{report.tracking_id}/note/", {"note": "Cek ke bidang jalan."})
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert "Cek ke bidang jalan." in html and 'class="internal"' in html
    assert 'id="act-resume"' in html and 'id="act-hold"' not in html


def test_merge_by_tracking_id_and_archive_with_reason(client, kab):
    dup, _ = report_in(Status.DISPOSED, agency=kab)
    main, _ = report_in(Status.DISPOSED, agency=kab)
    other, _ = report_in(Status.DISPOSED, agency=kab)
    sign_in(client, officer(kab))
    client.post(f"/kantor/laporan/{dup.tracking_id}/merge/", {"into": main.tracking_id.lower()})
    dup.refresh_from_db()
    assert dup.status == Status.MERGED and dup.merged_into == main
    client.post(
        f"/kantor/laporan/{other.tracking_id}/archive/",
        {"reason": "Laporan berisi iklan, bukan pengaduan."},
    )
    other.refresh_from_db()
    assert other.status == Status.ARCHIVED


def test_merge_into_a_report_outside_the_subtree_is_refused(client, kab):
    dup, _ = report_in(Status.DISPOSED, agency=kab)
    elsewhere, _ = report_in(Status.DISPOSED, agency=AgencyFactory())
    sign_in(client, officer(kab))
    response = client.post(
        f"/kantor/laporan/{dup.tracking_id}/merge/", {"into": elsewhere.tracking_id}
    )
    assert "tidak ditemukan di wilayah kerja Anda" in response.content.decode()
    dup.refresh_from_db()
    assert dup.status == Status.DISPOSED


def test_bukan_wewenang_sends_back_to_triage_and_leaves_the_agency(client, kab):
    report, _ = report_in(Status.DISPOSED, agency=kab)
    sign_in(client, officer(kab))
    response = client.post(
        f"/kantor/laporan/{report.tracking_id}/not_authority/",
        {"reason": "Jalan provinsi, kewenangan pemerintah provinsi."},
    )
    assert response.status_code == 302 and response["Location"] == "/kantor/"
    assert Report.objects.get(pk=report.pk).status == Status.TRIAGE
    assert client.get(f"/kantor/laporan/{report.tracking_id}/").status_code == 404


def test_report_outside_the_subtree_is_404(client, kab):
    report, _ = report_in(Status.DISPOSED, agency=AgencyFactory(name="Pemerintah Kota Lain"))
    sign_in(client, officer(kab))
    assert client.get(f"/kantor/laporan/{report.tracking_id}/").status_code == 404
    response = client.post(f"/kantor/laporan/{report.tracking_id}/note/", {"note": "halo"})
    assert response.status_code == 404
    assert not report.events.filter(action=Action.NOTE).exists()


def test_a_form_filled_in_before_another_officer_acted_is_refused(client, kab):
    # given an officer who opened the report, and a colleague who held it meanwhile
    report, _ = report_in(Status.DISPOSED, agency=kab)
    sign_in(client, officer(kab))
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    seen = html.split('name="version" value="')[1].split('"')[0]
    from lapor.reports.services import report_hold

    report.refresh_from_db()
    report_hold(
        report=report,
        actor=officer(kab),
        until=timezone.now() + timedelta(days=5),
        reason="Menunggu hasil survei lapangan.",
    )
    # when the first officer sends the archive form they filled in before
    response = client.post(
        f"/kantor/laporan/{report.tracking_id}/archive/",
        {"reason": "Laporan ganda yang sudah ditangani.", "version": seen},
    )
    # then they are told to look again, and nothing is archived
    assert "baru saja diubah oleh petugas lain" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.ON_HOLD


def test_report_page_queries_do_not_grow_with_its_history(
    client, kab, django_assert_max_num_queries
):
    report, _ = report_in(Status.DISPOSED, agency=kab, is_confidential=False)
    user = officer(kab)
    sign_in(client, user)
    from lapor.reports.services import report_add_note

    for n in range(15):
        report_add_note(report=report, actor=officer(kab), note=f"Catatan ke-{n}")
    with django_assert_max_num_queries(17):
        html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert "Catatan ke-14" in html


def test_triage_page_shows_the_routing_suggestion_and_preselects_it(client, kab):
    # given a report the router sent to triage with a suggestion and its reasons
    report = submit().report
    from lapor.reports.services import report_send_to_triage

    routing = {
        "confidence": 0.55,
        "suggestions": [
            {
                "agency": kab.code,
                "name": kab.name,
                "confidence": 0.55,
                "reasons": ["jalan kabupaten"],
            }
        ],
    }
    report_send_to_triage(report=report, reason="Menunggu verifikasi.", data={"routing": routing})
    sign_in(client, national_admin())
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    # then the national admin sees who, how sure and why, with that agency chosen
    assert "Saran perutean" in html and "keyakinan 55%" in html and "jalan kabupaten" in html
    assert f'<option value="{kab.code}" selected>' in html


def test_similar_open_reports_in_reach_are_offered_for_merging(client, kab):
    report, _ = report_in(Status.DISPOSED, agency=kab, title="Jembatan Tuntang retak parah")
    twin, _ = report_in(Status.DISPOSED, agency=kab, title="Retak di jembatan Tuntang")
    hidden, _ = report_in(Status.DISPOSED, agency=AgencyFactory(), title="Jembatan Tuntang")
    from lapor.routing.duplicates import index_report

    for r in (report, twin, hidden):
        index_report(r)  # as the routing job indexes every new report
    sign_in(client, officer(kab))
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    similar = html.split('id="similar"')[1].split("</section>")[0]
    assert twin.tracking_id in similar and hidden.tracking_id not in similar


def test_answer_template_of_the_agency_fills_the_follow_up(client, kab):
    from lapor.backoffice.models import AnswerTemplate

    mine = AnswerTemplate.objects.create(
        agency=kab, title="Jalan sudah diperbaiki", body="Jalan sudah kami perbaiki. Terima kasih."
    )
    AnswerTemplate.objects.create(agency=AgencyFactory(), title="Templat instansi lain", body="x")
    report, _ = report_in(Status.DISPOSED, agency=kab)
    sign_in(client, officer(kab))
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert "Jalan sudah diperbaiki" in html and "Templat instansi lain" not in html
    filled = client.get(f"/kantor/laporan/{report.tracking_id}/?jawaban={mine.pk}").content
    assert "Jalan sudah kami perbaiki. Terima kasih.</textarea>" in filled.decode()


def test_forward_to_unit_lists_only_the_agency_s_own_units(client, kab):
    # given units of this agency (one closed) and a unit of another agency
    UnitFactory(parent=kab, code="pemkab-3321-dpu", name="Dinas PU Demak")
    UnitFactory(parent=kab, code="pemkab-3321-dinkes", name="Dinas Kesehatan Demak")
    UnitFactory(parent=kab, code="pemkab-3321-lama", name="Dinas Lama Demak", is_active=False)
    UnitFactory(parent=AgencyFactory(), code="pemkot-lain-dpu", name="Dinas PU Kota Lain")
    report, _ = report_in(Status.DISPOSED, agency=kab)
    sign_in(client, officer(kab))
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    select = html.split('<select id="unit-unit" name="unit">')[1].split("</select>")[0]
    # then only its active units are offered, by name, and not the agency itself
    assert re.findall(r'<option value="([^"]*)">', select) == [
        "",
        "pemkab-3321-dinkes",
        "pemkab-3321-dpu",
    ]
