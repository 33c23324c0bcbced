"""What a first-time citizen tripped over: the track page's order, merged reports, the
kecamatan level, the contact fields, and the help pages the statuses link to."""

from __future__ import annotations

import re
from html import unescape

import pytest

from lapor.regions.models import Region
from lapor.reports import services
from tests.factories import AgencyFactory, RegencyFactory, national_admin, officer, submit
from tests.portal.conftest import ANSWER, answered, page

pytestmark = pytest.mark.django_db


def test_the_latest_answer_comes_before_the_reply_form(client):
    # given an answered report whose reporter opened it with the secret
    sub = submit()
    answered(sub.report)
    url = f"/lacak/{sub.report.tracking_id}/"
    client.post(url, {"action": "secret", "secret": sub.secret})
    # when the reporter opens the track page
    html = unescape(page(client, url))
    # then the agency's answer is shown above the reply form, not only in the history
    latest = html.index('id="jawaban-terbaru"')
    assert ANSWER in html[latest : html.index("</section>", latest)]
    assert latest < html.index('value="reply"') < html.index("Riwayat")


def test_a_stranger_sees_no_answer_of_a_rahasia_report(client):
    sub = submit(is_confidential=True, is_anonymous=True)
    answered(sub.report)
    html = unescape(page(client, f"/lacak/{sub.report.tracking_id}/"))
    assert ANSWER not in html and "jawaban-terbaru" not in html
    assert "Siti Aminah" not in html and "siti@contoh.id" not in html


def test_a_merged_report_links_the_other_and_shows_no_completion_deadline(client):
    # given a duplicate merged into an earlier report
    agency = AgencyFactory(code="pemkab-3321")
    target = submit(is_confidential=False).report
    services.report_dispose(report=target, to_agency=agency, actor=national_admin())
    duplicate = submit(is_confidential=False).report
    services.report_merge(report=duplicate, into=target, actor=national_admin())
    # when anyone opens the duplicate's track page
    html = page(client, f"/lacak/{duplicate.tracking_id}/")
    # then it links to the report that is handled, and gives no deadline of its own
    assert f'href="/lacak/{target.tracking_id}/" id="merged-into"' in html
    assert "completion-due" not in html
    # while the handled report keeps its deadline
    assert "completion-due" in page(client, f"/lacak/{target.tracking_id}/")


def test_each_status_links_to_its_explanation(client):
    report = submit().report
    html = page(client, f"/lacak/{report.tracking_id}/")
    assert f'href="/bantuan/status/#{report.status}"' in html
    help_page = page(client, "/bantuan/status/")
    assert f'id="{report.status}"' in help_page
    assert "3 hari kerja" in help_page and "60 hari" in help_page


@pytest.mark.parametrize(
    "url",
    [
        "/bantuan/",
        "/bantuan/status/",
        "/bantuan/anonim-dan-rahasia/",
        "/bantuan/tanya-jawab/",
        "/bantuan/tentang/",
        "/bantuan/kontak/",
    ],
)
def test_help_pages_answer_in_both_languages_with_few_queries(
    client, url, django_assert_max_num_queries
):
    # a rahasia, anonymous report exists: no help page may show anything of it
    secret = submit(is_confidential=True, is_anonymous=True, title="Pungli di kantor kelurahan")
    for lang in ("id", "en"):
        with django_assert_max_num_queries(2):
            html = page(client, url, lang)
        assert "Pungli di kantor kelurahan" not in html
        assert secret.report.tracking_id not in html and "Siti Aminah" not in html
    assert len(page(client, url).encode()) < 30 * 1024


def test_a_regency_without_kecamatan_says_so(client):
    # given kecamatan are loaded for one regency but not for another
    loaded = RegencyFactory(code="33.21", name="Kabupaten Demak")
    bare = RegencyFactory(code="33.22", name="Kabupaten Semarang", parent=loaded.parent)
    Region.objects.create(
        code="33.21.01", name="Mranggen", level="kecamatan", kind="kecamatan", parent=loaded
    )
    get = client.get("/lapor/")
    token = re.search(r'name="form_token" value="([^"]+)"', get.content.decode()).group(1)
    # when the citizen asks for the kecamatan of the regency that has none
    html = client.post(
        "/lapor/", {"step": "district", "region": bare.code, "form_token": token}
    ).content.decode()
    # then the form says the level is missing instead of silently reloading
    assert 'id="district-missing"' in html and "belum tersedia" in html
    # and for the other regency the picker lists its kecamatan
    html = client.post(
        "/lapor/", {"step": "district", "region": loaded.code, "form_token": token}
    ).content.decode()
    assert "Mranggen" in html and "district-missing" not in html


def test_without_any_kecamatan_the_form_says_so_up_front(client):
    RegencyFactory()
    html = page(client, "/lapor/")
    assert 'id="district-missing"' in html and "Tampilkan kecamatan" not in html


def test_guest_contact_fields_say_one_of_them_is_required(client):
    RegencyFactory()
    html = unescape(page(client, "/lapor/"))
    email = html[html.index('for="id_contact_email"') :][:300]
    phone = html[html.index('for="id_contact_phone"') :][:300]
    for label in (email, phone):
        assert "salah satu wajib" in label and "tidak wajib" not in label


def test_the_dukung_form_says_one_contact_is_required(client):
    report = submit(is_confidential=False).report
    answered(report)
    html = unescape(page(client, f"/laporan/{report.tracking_id}/"))
    form = html[html.index('id="dukung"') :]
    assert form.count("salah satu wajib") == 2 and "tidak wajib" not in form[:2000]


def test_officer_of_another_agency_is_not_the_reporter(client):
    # the latest answer box never opens the reporter's private details to an officer
    sub = submit()
    agency = answered(sub.report)
    client.force_login(officer(agency))
    html = page(client, f"/lacak/{sub.report.tracking_id}/")
    assert "siti@contoh.id" not in html


def test_a_unit_link_opens_the_unit_page_which_counts_its_own_reports(client):
    from tests.factories import UnitFactory

    kab = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    dpu = UnitFactory(code="pemkab-3321-dpu", name="Dinas PUPR Kabupaten Demak", parent=kab)
    report = submit(is_confidential=False).report
    services.report_dispose(report=report, to_agency=kab, actor=national_admin())
    services.report_dispose_unit(report=report, unit=dpu, actor=officer(kab))
    html = page(client, f"/laporan/{report.tracking_id}/")
    assert '<a href="/instansi/pemkab-3321-dpu/">Dinas PUPR Kabupaten Demak</a>' in html
    unit_page = page(client, "/instansi/pemkab-3321-dpu/")
    assert "<strong>1</strong>dalam proses" in unit_page
    assert "<strong>1</strong>dalam proses" in page(client, "/instansi/pemkab-3321/")


def test_a_public_report_can_be_shared_without_third_party_scripts(client):
    report = submit(is_confidential=False).report
    html = page(client, f"/laporan/{report.tracking_id}/")
    assert f'value="http://testserver/laporan/{report.tracking_id}/"' in html
    assert "data-copy" in html and "data-native" in html
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts and all(src.startswith("/static/") for src in scripts)
