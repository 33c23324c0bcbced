"""What a new officer missed: the reporter's score, flags on replied or reopened reports,
tracking IDs written as the reporter writes them, a bulk search that keeps the ticks and the
filters, and a disposition note that says the reporter will read it."""

from __future__ import annotations

import pytest

from lapor.core import ids
from lapor.reports import services
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, national_admin, officer, submit
from tests.portal.conftest import ANSWER

pytestmark = pytest.mark.django_db


@pytest.fixture
def kab():  # type: ignore[no-untyped-def]
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


def _answered(kab):  # type: ignore[no-untyped-def]
    sub = submit()
    services.report_dispose(report=sub.report, to_agency=kab, actor=national_admin())
    services.report_follow_up(report=sub.report, actor=officer(kab), message=ANSWER)
    return sub


def test_the_reporter_score_is_shown_with_the_comment(client, kab):
    sub = _answered(kab)
    services.report_complete(report=sub.report, actor=officer(kab), message="Selesai dikerjakan.")
    services.report_rate(report=sub.report, rating=2, comment="Masih berlubang.", secret=sub.secret)
    sign_in(client, officer(kab))
    html = client.get(f"/kantor/laporan/{sub.report.tracking_id}/").content.decode()
    assert '<dd id="rating"><strong>2/5</strong>' in html and "nilai rendah" in html


def test_queue_rows_flag_a_reply_and_an_appeal(client, kab, django_assert_max_num_queries):
    replied = _answered(kab)
    services.report_reply(
        report=replied.report, message="Belum beres di sisi timur.", secret=replied.secret
    )
    appealed = _answered(kab)
    services.report_complete(report=appealed.report, actor=officer(kab), message="Selesai.")
    services.report_rate(
        report=appealed.report, rating=1, comment="Tidak ada perubahan.", secret=appealed.secret
    )
    services.report_reopen(
        report=appealed.report, reason="Lubang masih ada sampai hari ini.", secret=appealed.secret
    )
    quiet = submit().report
    services.report_dispose(report=quiet, to_agency=kab, actor=national_admin())
    sign_in(client, officer(kab))
    client.get("/kantor/antrean/masuk/")  # warm the session and the caches
    with django_assert_max_num_queries(12):
        html = client.get("/kantor/antrean/masuk/").content.decode()
    row = html.split(f'id="row-{replied.report.tracking_id}"')[1].split("</tr>")[0]
    assert "Pelapor menanggapi" in row
    row = html.split(f'id="row-{appealed.report.tracking_id}"')[1].split("</tr>")[0]
    assert "Dibuka kembali (banding)" in row
    row = html.split(f'id="row-{quiet.tracking_id}"')[1].split("</tr>")[0]
    assert 'class="flag"' not in row


def test_tracking_ids_are_written_as_on_the_portal(client, kab):
    report = submit().report
    services.report_dispose(report=report, to_agency=kab, actor=national_admin())
    sign_in(client, officer(kab))
    shown = ids.display(report.tracking_id)
    assert f">{shown}</a>" in client.get("/kantor/antrean/masuk/").content.decode()
    html = client.get(f"/kantor/laporan/{shown}/").content.decode()  # as the reporter reads it
    assert f'<span id="tracking-id">{shown}</span>' in html


def test_the_disposition_note_says_the_reporter_reads_it(client, kab):
    report = submit().report
    sign_in(client, national_admin())
    html = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    note = html.split('for="dispose-note"')[1].split("</textarea>")[0]
    assert "ditampilkan kepada pelapor" in note and 'aria-describedby="dispose-note-help"' in note


def test_bulk_search_keeps_the_ticks_and_the_filters(client, kab):
    # given two reports in triage and a national admin filtering the queue
    first = submit(title="Lampu jalan mati di alun-alun").report
    second = submit(title="Lampu taman kota mati").report
    sign_in(client, national_admin())
    # when they tick both and search for the agency
    response = client.post(
        "/kantor/antrean/triase/disposisi/",
        {
            "reports": [first.tracking_id, second.tracking_id],
            "instansi": "demak",
            "step": "search",
            "back": "q=lampu&sort=new",
        },
    )
    # then they are back on the filtered queue, the search done and both rows still ticked
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/kantor/antrean/triase/?") and location.endswith("#bulk-agency")
    assert "q=lampu" in location and "sort=new" in location and "instansi=demak" in location
    html = client.get(location.split("#")[0]).content.decode()
    for report in (first, second):
        assert f'id="pick-{report.tracking_id}" checked' in html
    assert '<option value="pemkab-3321"' in html
    # when they dispose, the queue comes back with the same filters
    done = client.post(
        "/kantor/antrean/triase/disposisi/",
        {"reports": [first.tracking_id], "to_agency": "pemkab-3321", "back": "q=lampu&sort=new"},
    )
    assert done["Location"] == "/kantor/antrean/triase/?q=lampu&sort=new"
    first.refresh_from_db()
    assert first.agency_id == kab.pk


def test_a_reporter_appeal_is_credited_to_the_reporter(client, kab):
    sub = _answered(kab)
    services.report_complete(report=sub.report, actor=officer(kab), message="Selesai.")
    services.report_rate(report=sub.report, rating=1, comment="Buruk.", secret=sub.secret)
    services.report_reopen(
        report=sub.report, reason="Lubang masih ada sampai hari ini.", secret=sub.secret
    )
    sign_in(client, officer(kab))
    html = client.get(f"/kantor/laporan/{sub.report.tracking_id}/").content.decode()
    timeline = html.split('id="timeline"')[1]
    reopen = timeline.split("Dibuka kembali (banding)")[1].split("</li>")[0]
    assert "Pemerintah Kabupaten Demak" not in reopen
    # and on the portal the reporter's own step says it was theirs
    portal = client.get(f"/lacak/{sub.report.tracking_id}/").content.decode()
    step = portal.split("Dibuka kembali (banding)</strong>")[1].split("</li>")[0]
    assert "Pelapor" in step and "Pemerintah Kabupaten Demak" not in step


def test_category_names_follow_the_page_language(client, kab):
    from tests.factories import CategoryFactory

    road = CategoryFactory(code="jalan", name="Jalan rusak", name_en="Damaged roads")
    report = submit(category=road).report
    services.report_dispose(report=report, to_agency=kab, actor=national_admin())
    sign_in(client, officer(kab))
    english = client.get("/en/kantor/antrean/masuk/").content.decode()
    assert "Damaged roads" in english
    indonesian = client.get("/kantor/antrean/masuk/").content.decode()
    assert "Jalan rusak" in indonesian and "Damaged roads" not in indonesian
    page = client.get(f"/en/kantor/laporan/{report.tracking_id}/").content.decode()
    assert "<dd>Damaged roads</dd>" in page
