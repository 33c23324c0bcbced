"""The agency picker: about a thousand agencies, narrowed on the server by a search box that
needs no JavaScript; the code posted back is checked again."""

from __future__ import annotations

import re

import pytest

from lapor.agencies.models import Agency
from lapor.backoffice.agency_picker import LIMIT
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from tests.backoffice.conftest import sign_in
from tests.factories import (
    AgencyFactory,
    ProvinceFactory,
    RegencyFactory,
    UnitFactory,
    national_admin,
    officer,
    submit,
)
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db


def _options(html: str, select_id: str) -> list[str]:
    select = html.split(f'<select id="{select_id}"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]+)"', select)


@pytest.fixture
def tree():  # type: ignore[no-untyped-def]
    """Agencies across the country: Demak's and Central Java's, others elsewhere."""
    demak = RegencyFactory()  # 33.21, in province 33
    semarang = RegencyFactory(code="33.74", name="Kota Semarang", parent=ProvinceFactory())
    papua = RegencyFactory(
        code="94.71", name="Kota Jayapura", parent=ProvinceFactory(code="94", name="Papua")
    )
    return {
        "kab": AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak", region=demak),
        "prov": AgencyFactory(
            code="pemprov-33",
            name="Pemerintah Provinsi Jawa Tengah",
            kind=Agency.Kind.PROVINCE,
            region=demak.parent,
        ),
        "undip": AgencyFactory(
            code="undip",
            name="Universitas Diponegoro",
            short_name="UNDIP",
            kind=Agency.Kind.UNIVERSITY,
            region=semarang,
        ),
        "bpjs": AgencyFactory(
            code="bpjs-kesehatan",
            name="BPJS Kesehatan",
            kind=Agency.Kind.STATE_COMPANY,
            aliases=["Badan Penyelenggara Jaminan Sosial Kesehatan"],
        ),
        "jayapura": AgencyFactory(
            code="pemkot-9471", name="Pemerintah Kota Jayapura", region=papua
        ),
        "closed": AgencyFactory(code="lama", name="Instansi Demak Lama", is_active=False),
        "unit": UnitFactory(code="pemkab-3321-dpu", name="Dinas PU Demak"),
    }


def _triage_page(client, query: str = "") -> tuple[Report, str]:  # type: ignore[no-untyped-def]
    report = submit().report  # in Demak (33.21)
    sign_in(client, national_admin())
    html = client.get(f"/kantor/laporan/{report.tracking_id}/{query}").content.decode()
    return report, html


def test_without_a_search_the_report_region_and_routing_suggestions_are_listed(client, tree):
    report, html = _triage_page(client)
    # the regency and province of the report, not the rest of the country
    assert _options(html, "dispose-agency") == ["pemkab-3321", "pemprov-33"]
    assert "saran perutean dan instansi di wilayah laporan" in html
    # every agency is one link away, and then only receiving agencies are listed
    html = client.get(f"/kantor/laporan/{report.tracking_id}/?semua_instansi=1").content.decode()
    listed = _options(html, "dispose-agency")
    assert {"bpjs-kesehatan", "pemkot-9471", "undip"} <= set(listed)
    assert not {"lama", "pemkab-3321-dpu", "kemenpanrb"} & set(listed)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("diponegoro", ["undip"]),  # name
        ("UNDIP", ["undip"]),  # short name, any case
        ("jaminan sosial", ["bpjs-kesehatan"]),  # another name, every word
        ("semarang", ["undip"]),  # the region's name
        ("pemkot-9471", ["pemkot-9471"]),  # code
        ("pemerintah demak", ["pemkab-3321"]),
        # not the inactive agency; the government's units too (routing suggests them)
        ("demak", ["pemkab-3321-dpu", "pemkab-3321"]),
        ("pu demak", ["pemkab-3321-dpu"]),
    ],
)
def test_the_search_narrows_the_list(client, tree, query, expected):
    _, html = _triage_page(client, f"?instansi={query}")
    assert _options(html, "dispose-agency") == expected
    assert f"{len(expected)} instansi cocok dengan “{query}”" in html


def test_a_search_without_matches_says_what_to_do_next(client, tree):
    _, html = _triage_page(client, "?instansi=kementerian+antah")
    assert _options(html, "dispose-agency") == []
    assert "Tidak ada instansi yang cocok dengan “kementerian antah”" in html
    assert "Periksa ejaannya" in html


def test_a_broad_search_lists_the_first_fifty(client, tree):
    for n in range(LIMIT + 5):
        AgencyFactory(code=f"pemkab-uji-{n:02d}", name=f"Pemerintah Kabupaten Uji {n:02d}")
    _, html = _triage_page(client, "?instansi=kabupaten")
    assert len(_options(html, "dispose-agency")) == LIMIT
    assert "Hanya 50 yang pertama ditampilkan" in html


def test_the_picker_is_labelled_and_works_without_javascript(client, tree):
    _, html = _triage_page(client, "?instansi=undip")
    # the search box is labelled, described, and belongs to a GET form outside the POST form
    assert '<label for="dispose-agency-q">Cari instansi</label>' in html
    box = re.search(r'<input type="search" id="dispose-agency-q"[^>]*>', html)
    assert box is not None
    assert 'form="agency-search"' in box.group(0) and 'value="undip"' in box.group(0)
    assert 'aria-describedby="dispose-agency-q-help dispose-agency-found"' in box.group(0)
    assert '<form id="agency-search" method="get" action="#act-dispose"></form>' in html
    assert '<label for="dispose-agency">Instansi tujuan</label>' in html
    assert 'role="status"' in html.split('id="dispose-agency-found"')[1][:20]


@pytest.mark.parametrize("code", ["lama", "kemenpanrb", "tidak-ada", ""])
def test_a_code_that_is_not_a_receiving_agency_is_refused_at_the_field(client, tree, code):
    report, _ = _triage_page(client)
    response = client.post(
        f"/kantor/laporan/{report.tracking_id}/dispose/",
        {"to_agency": code, "instansi": "demak"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    # the message is next to the select, announced, and the select points to it
    assert 'aria-invalid="true" aria-describedby="dispose-agency-error"' in html
    error = html.split('id="dispose-agency-error">')[1].split("</p>")[0]
    assert "Pilih instansi tujuan dari daftar" in error
    # the search the officer made is still applied
    assert _options(html, "dispose-agency") == ["pemkab-3321-dpu", "pemkab-3321"]
    assert 'name="instansi" value="demak"' in html
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.agency_id is None


def test_a_found_agency_is_disposed_to(client, tree):
    report, html = _triage_page(client, "?instansi=bpjs")
    assert _options(html, "dispose-agency") == ["bpjs-kesehatan"]
    client.post(
        f"/kantor/laporan/{report.tracking_id}/dispose/",
        {"to_agency": "bpjs-kesehatan", "instansi": "bpjs"},
    )
    report.refresh_from_db()
    assert report.status == Status.DISPOSED and report.agency == tree["bpjs"]


def test_forwarding_uses_the_same_picker(client, tree):
    report, _ = report_in(Status.DISPOSED, agency=tree["kab"])
    sign_in(client, officer(tree["kab"]))
    html = client.get(f"/kantor/laporan/{report.tracking_id}/?instansi=jayapura").content.decode()
    assert _options(html, "fwd-agency") == ["pemkot-9471"]
    assert '<form id="agency-search" method="get" action="#act-forward"></form>' in html
    response = client.post(
        f"/kantor/laporan/{report.tracking_id}/forward/",
        {"to_agency": "lama", "reason": "Bukan wewenang kabupaten ini."},
    )
    assert response.status_code == 400
    assert 'aria-describedby="fwd-agency-error"' in response.content.decode()


def test_bulk_disposition_searches_agencies_and_keeps_the_queue_filters(client, tree):
    submit(title="Lampu jalan mati di alun-alun")
    sign_in(client, national_admin())
    html = client.get("/kantor/antrean/triase/?q=lampu&instansi=jayapura").content.decode()
    assert _options(html, "bulk-agency") == ["pemkot-9471"]
    # the search is a step of the bulk form, which carries the queue's filters back
    bulk_form = html.split('<form method="post" action="/kantor/antrean/triase/disposisi/"')[1]
    assert '<input type="hidden" name="back" value="q=lampu">' in bulk_form
    assert 'name="step" value="search"' in bulk_form
    # without a search, a batch may go anywhere: every receiving agency is listed
    listed = _options(client.get("/kantor/antrean/triase/").content.decode(), "bulk-agency")
    assert {"pemkab-3321", "pemkot-9471", "bpjs-kesehatan"} <= set(listed)
    assert "pemkab-3321-dpu" not in listed


def test_bulk_disposition_refuses_a_unit(client, tree):
    report = submit().report
    sign_in(client, national_admin())
    response = client.post(
        "/kantor/antrean/triase/disposisi/",
        {"reports": [report.tracking_id], "to_agency": "pemkab-3321-dpu"},
        follow=True,
    )
    assert "Pilih laporan dan instansi tujuan, lalu ulangi." in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


# Bukan wewenang: the agency the officer suggests to national triage comes from the same picker
# (routing learns from it), and an unknown code is refused at its field, never dropped.


def _na_page(client, tree, query: str = "") -> tuple[Report, str]:  # type: ignore[no-untyped-def]
    report, _ = report_in(Status.DISPOSED, agency=tree["kab"])
    sign_in(client, officer(tree["kab"]))
    html = client.get(f"/kantor/laporan/{report.tracking_id}/{query}").content.decode()
    return report, html


def test_bukan_wewenang_suggests_an_agency_from_the_picker(client, tree):
    report, html = _na_page(client, tree, "?instansi=jayapura")
    form = html.split('id="act-not_authority"')[1].split("</form>")[0]
    assert '<select id="na-agency" name="suggested">' in form
    assert _options(html, "na-agency") == ["pemkot-9471"]
    # its own search box, owned by its own GET form that lands back on this form
    assert 'form="agency-search-na"' in form and 'value="jayapura"' in form
    assert '<form id="agency-search-na" method="get" action="#act-not_authority"></form>' in html
    response = client.post(
        f"/kantor/laporan/{report.tracking_id}/not_authority/",
        {"reason": "Jalan kota, kewenangan Pemerintah Kota Jayapura.", "suggested": "pemkot-9471"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.TRIAGE and report.agency_id is None
    event = report.events.get(action="not_authority")
    assert event.data == {"from": "pemkab-3321", "suggested": "pemkot-9471"}


def test_bukan_wewenang_without_a_suggestion_is_fine(client, tree):
    report, html = _na_page(client, tree)
    # the agency that holds the report is offered in neither bukan wewenang form
    assert _options(html, "na-agency") == _options(html, "fwd-agency") == ["pemprov-33"]
    client.post(
        f"/kantor/laporan/{report.tracking_id}/not_authority/",
        {"reason": "Bukan kewenangan pemerintah kabupaten.", "suggested": ""},
    )
    report.refresh_from_db()
    assert report.status == Status.TRIAGE
    assert "suggested" not in report.events.get(action="not_authority").data


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("tidak-ada", "Instansi yang disarankan tidak ada di daftar"),
        ("lama", "Instansi yang disarankan tidak ada di daftar"),  # inactive
        ("pemkab-3321", "adalah instansi Anda sendiri"),  # the report's own agency
    ],
)
def test_an_unknown_suggested_agency_is_refused_at_its_field(client, tree, code, says):
    report, _ = _na_page(client, tree)
    reason = "Jalan provinsi, kewenangan pemerintah provinsi."
    response = client.post(
        f"/kantor/laporan/{report.tracking_id}/not_authority/",
        {"reason": reason, "suggested": code, "instansi": "jawa tengah"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    # the message is next to the select, announced, and the select points to it
    assert '<select id="na-agency" name="suggested" aria-invalid="true" ' in html
    assert 'aria-describedby="na-agency-error"' in html
    error = html.split('id="na-agency-error">')[1].split("</p>")[0]
    assert says in error
    assert "kosongkan pilihan" in error  # what to do next
    # nothing else of the form is lost: the reason typed, the search made
    assert f'name="reason">{reason}</textarea>' in html
    assert _options(html, "na-agency") == ["pemprov-33"]
    report.refresh_from_db()
    assert report.status == Status.DISPOSED and report.agency == tree["kab"]
    assert not report.events.filter(action="not_authority").exists()
