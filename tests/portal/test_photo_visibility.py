"""The reporter shows or hides their own photo on the public page (``services.photos``): one
service, one internal event; never on a rahasia report; an officer may only hide; nobody else
may do either."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from lapor.core.errors import NotAllowed, ValidationFailed
from lapor.reports import services
from lapor.reports.lifecycle import Action
from lapor.reports.models import Attachment, ReportEvent
from lapor.reports.services import Upload
from tests.factories import AgencyFactory, UserFactory, national_admin, officer, submit
from tests.portal.conftest import page

pytestmark = pytest.mark.django_db


def _jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


def _with_photo(**overrides):  # type: ignore[no-untyped-def]
    upload = Upload(name="lubang.jpg", content=io.BytesIO(_jpeg()))
    return submit(attachments=[upload], **overrides)


def _as_reporter(client: Client, sub) -> str:  # type: ignore[no-untyped-def]
    url = f"/lacak/{sub.report.tracking_id}/"
    assert client.post(url, {"action": "secret", "secret": sub.secret}).status_code == 302
    return url


def _toggle(client: Client, url: str, photo: Attachment, public: bool):  # type: ignore[no-untyped-def]
    data = {"action": "photo", "attachment": photo.pk, "public": "1" if public else "0"}
    return client.post(url, data)


def test_the_reporter_shows_then_hides_a_photo(client):
    sub = _with_photo(is_confidential=False, is_anonymous=True)
    photo = sub.report.attachments.get()
    public_url = f"/laporan/{sub.report.tracking_id}/"
    assert f"/lampiran/{photo.pk}/" not in page(Client(), public_url)
    url = _as_reporter(client, sub)
    assert "Tampilkan di halaman publik" in page(client, url)
    # show
    assert _toggle(client, url, photo, True).status_code == 302
    photo.refresh_from_db()
    assert photo.is_public
    assert f'<img src="/lampiran/{photo.pk}/kecil/"' in page(Client(), public_url)
    assert Client().get(f"/lampiran/{photo.pk}/kecil/").status_code == 200
    event = ReportEvent.objects.get(report=sub.report, action=Action.PHOTO_VISIBILITY)
    assert event.is_internal and event.actor_role == "reporter"
    assert event.data == {"attachment": photo.pk, "public": True}
    # a double click changes nothing and writes no second event
    assert _toggle(client, url, photo, True).status_code == 302
    assert ReportEvent.objects.filter(action=Action.PHOTO_VISIBILITY).count() == 1
    # hide
    assert _toggle(client, url, photo, False).status_code == 302
    photo.refresh_from_db()
    assert not photo.is_public
    assert f"/lampiran/{photo.pk}/" not in page(Client(), public_url)
    assert Client().get(f"/lampiran/{photo.pk}/kecil/").status_code == 404
    assert Client().get(f"/lampiran/{photo.pk}/").status_code == 404


def test_a_rahasia_report_photo_cannot_be_shown(client):
    sub = _with_photo(is_confidential=True)
    photo = sub.report.attachments.get()
    url = _as_reporter(client, sub)
    html = page(client, url)
    assert "Tampilkan di halaman publik" not in html
    assert "Laporan rahasia: foto tidak ditampilkan untuk publik." in html
    refused = _toggle(client, url, photo, True)
    assert refused.status_code == 200 and "Laporan ini rahasia" in refused.content.decode()
    photo.refresh_from_db()
    assert not photo.is_public
    assert not ReportEvent.objects.filter(action=Action.PHOTO_VISIBILITY).exists()


def test_a_photo_shown_stays_hidden_when_the_report_becomes_rahasia(client):
    sub = _with_photo(is_confidential=False, is_anonymous=True)
    photo = sub.report.attachments.get()
    services.attachment_set_public(attachment=photo, is_public=True, secret=sub.secret)
    services.report_set_privacy(
        report=sub.report, actor=national_admin(), is_anonymous=True, is_confidential=True
    )
    assert Client().get(f"/lampiran/{photo.pk}/kecil/").status_code == 404
    assert Client().get(f"/laporan/{sub.report.tracking_id}/").status_code == 404


def test_someone_else_cannot_show_or_hide_a_photo(client):
    sub = _with_photo(is_confidential=False, is_anonymous=True)
    photo = sub.report.attachments.get()
    other = _with_photo(is_confidential=False, is_anonymous=True)
    url = f"/lacak/{sub.report.tracking_id}/"
    # a stranger holding only the tracking ID
    refused = _toggle(Client(), url, photo, True)
    assert refused.status_code == 200 and "Hanya pelapor" in refused.content.decode()
    # another report's reporter, with their own secret in the session
    mine = _as_reporter(client, other)
    assert _toggle(client, url, photo, True).status_code == 200
    # and through their own report's page, naming the other report's photo
    assert _toggle(client, mine, photo, True).status_code == 404
    # a signed-in account that is not the reporter
    with pytest.raises(NotAllowed):
        services.attachment_set_public(attachment=photo, is_public=True, user=UserFactory())
    photo.refresh_from_db()
    assert not photo.is_public
    assert not ReportEvent.objects.filter(action=Action.PHOTO_VISIBILITY).exists()


def test_an_officer_may_hide_but_never_show():
    sub = _with_photo(is_confidential=False, is_anonymous=True)
    photo = sub.report.attachments.get()
    agency = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    admin = national_admin()
    services.report_dispose(report=sub.report, to_agency=agency, actor=admin)
    desk = officer(agency)
    with pytest.raises(NotAllowed):
        services.attachment_set_public(attachment=photo, is_public=True, officer=desk)
    services.attachment_set_public(attachment=photo, is_public=True, secret=sub.secret)
    services.attachment_set_public(attachment=photo, is_public=False, officer=desk)
    photo.refresh_from_db()
    assert not photo.is_public
    hidden = ReportEvent.objects.filter(action=Action.PHOTO_VISIBILITY).latest("seq")
    assert hidden.actor_id == desk.pk and hidden.data["public"] is False
    # an officer of another agency may not touch it at all
    stranger = officer(AgencyFactory(code="bpjs-kesehatan", name="BPJS Kesehatan"))
    with pytest.raises(NotAllowed):
        services.attachment_set_public(attachment=photo, is_public=False, officer=stranger)


def test_a_pdf_is_never_shown():
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    sub = submit(
        attachments=[Upload(name="surat.pdf", content=io.BytesIO(pdf))], is_confidential=False
    )
    document = sub.report.attachments.get()
    with pytest.raises(ValidationFailed):
        services.attachment_set_public(attachment=document, is_public=True, secret=sub.secret)


def test_the_reporter_page_in_english_offers_the_switch(client):
    sub = _with_photo(is_confidential=False, is_anonymous=True)
    url = _as_reporter(client, sub)
    html = page(client, url, "en")
    assert 'name="action" value="photo"' in html


def test_the_agency_admin_hides_a_shown_photo_from_the_back_office():
    from tests.backoffice.conftest import sign_in
    from tests.factories import UnitFactory

    sub = _with_photo(is_confidential=False, is_anonymous=True)
    photo = sub.report.attachments.get()
    agency = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    services.report_dispose(report=sub.report, to_agency=agency, actor=national_admin())
    services.attachment_set_public(attachment=photo, is_public=True, secret=sub.secret)
    url = f"/kantor/laporan/{sub.report.tracking_id}/"
    # a unit officer sees no button and is refused
    unit_officer = Client()
    sign_in(unit_officer, officer(UnitFactory(parent=agency), "unit_officer"))
    refused = unit_officer.post(url + "photo_visibility/", {"attachment": photo.pk})
    assert refused.status_code in (400, 404)
    photo.refresh_from_db()
    assert photo.is_public
    # the agency admin sees the button on the report page and hides the photo
    admin = Client()
    sign_in(admin, officer(agency))
    html = admin.get(url).content.decode()
    assert f"{url}photo_visibility/" in html and "Sembunyikan dari publik" in html
    done = admin.post(url + "photo_visibility/", {"attachment": photo.pk})
    assert done.status_code == 302
    photo.refresh_from_db()
    assert not photo.is_public
    assert Client().get(f"/lampiran/{photo.pk}/kecil/").status_code == 404
    # a made-up attachment is a clear error, nothing written
    events = ReportEvent.objects.filter(action=Action.PHOTO_VISIBILITY).count()
    bad = admin.post(url + "photo_visibility/", {"attachment": "999999"})
    assert bad.status_code == 400 and 'id="photo-error"' in bad.content.decode()
    assert ReportEvent.objects.filter(action=Action.PHOTO_VISIBILITY).count() == events
