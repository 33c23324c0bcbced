"""Who gets an attachment's bytes: its reporter, the officers who may open the report, and the
public only for a photo marked public of a public report; everyone else the 404 of a file that
does not exist. An officer opening a rahasia report's file leaves an access record."""

from __future__ import annotations

import importlib
import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from django.urls import clear_url_caches

from lapor.agencies.models import Membership
from lapor.reports import services
from lapor.reports.models import AccessRecord, Attachment
from lapor.reports.services import Upload
from tests.attachments.conftest import (
    MAKE,
    PDF,
    as_reporter,
    dispose,
    only_file,
    with_photo,
)
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, UserFactory, officer, submit

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _stored(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.file.name, "rb") as f:
        return f.read()


# --- the public ------------------------------------------------------------------------------


def test_the_public_gets_404_for_a_rahasia_reports_file(client):
    attachment = only_file(with_photo(is_confidential=True))
    Attachment.objects.filter(pk=attachment.pk).update(is_public=True)  # even if marked public
    assert client.get(f"/lampiran/{attachment.pk}/").status_code == 404


def test_the_public_gets_404_for_a_file_not_marked_public(client):
    attachment = only_file(with_photo(is_confidential=False))
    assert client.get(f"/lampiran/{attachment.pk}/").status_code == 404
    assert client.get("/lampiran/999999/").status_code == 404  # the same as no file at all


def test_the_public_sees_a_public_photo_of_a_public_report_on_its_page(client):
    submitted = with_photo(is_confidential=False)
    attachment = only_file(submitted)
    page = client.get(f"/laporan/{submitted.report.tracking_id}/").content.decode()
    assert f"/lampiran/{attachment.pk}/" not in page
    # shown by its reporter (a new version of the report: its kept page is made again)
    services.attachment_set_public(attachment=attachment, is_public=True, secret=submitted.secret)
    page = client.get(f"/laporan/{submitted.report.tracking_id}/").content.decode()
    assert f'href="/lampiran/{attachment.pk}/"' in page
    response = client.get(f"/lampiran/{attachment.pk}/")
    assert response.status_code == 200 and _body(response) == _stored(attachment)
    assert MAKE.encode() not in _body(response)
    assert response["Cache-Control"] == "private, max-age=300"


def test_a_pdf_is_never_public_even_if_marked(client):
    sent = Upload(name="surat.pdf", content=io.BytesIO(PDF))
    attachment = only_file(submit(is_confidential=False, attachments=[sent]))
    Attachment.objects.filter(pk=attachment.pk).update(is_public=True)
    assert client.get(f"/lampiran/{attachment.pk}/").status_code == 404


def test_the_old_media_url_is_gone_even_with_debug_on(client):
    attachment = only_file(with_photo(is_confidential=False))
    assert default_storage.exists(attachment.file.name)
    import lapor.urls

    try:
        with override_settings(DEBUG=True):
            importlib.reload(lapor.urls)
            clear_url_caches()
            response = client.get(f"/media/{attachment.file.name}")
    finally:
        importlib.reload(lapor.urls)
        clear_url_caches()
    assert response.status_code == 404
    assert _stored(attachment) not in _body(response)


# --- the reporter ----------------------------------------------------------------------------


def test_the_reporter_with_the_secret_gets_their_file_privately(client):
    submitted = with_photo(is_confidential=True)
    attachment = only_file(submitted)
    assert client.get(f"/lampiran/{attachment.pk}/").status_code == 404  # not yet: no secret
    response = as_reporter(client, submitted).get(f"/lampiran/{attachment.pk}/")
    assert response.status_code == 200
    assert _body(response) == _stored(attachment)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert 'filename="lubang.jpg"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert not AccessRecord.objects.exists()  # the reporter reading their own file


def test_the_reporter_signed_in_with_their_account_gets_their_file(client):
    user = UserFactory()
    attachment = only_file(with_photo_of(user))
    client.force_login(user)
    assert client.get(f"/lampiran/{attachment.pk}/").status_code == 200
    other = Client()
    other.force_login(UserFactory())
    assert other.get(f"/lampiran/{attachment.pk}/").status_code == 404


def with_photo_of(user):  # type: ignore[no-untyped-def]
    from tests.attachments.conftest import photo_with_location

    upload = Upload(name="lubang.jpg", content=io.BytesIO(photo_with_location()))
    return submit(reporter=user, contact_email="", attachments=[upload])


def test_the_track_page_lists_files_only_to_the_reporter(client):
    submitted = with_photo(is_confidential=False)
    attachment = only_file(submitted)
    url = f"/lacak/{submitted.report.tracking_id}/"
    assert f"/lampiran/{attachment.pk}/" not in client.get(url).content.decode()
    assert f"/lampiran/{attachment.pk}/" in as_reporter(client, submitted).get(url).content.decode()


# --- the officers ----------------------------------------------------------------------------


def test_the_handling_officer_opens_a_rahasia_file_and_it_is_recorded(client, kab):
    submitted = with_photo(is_confidential=True)
    dispose(submitted, kab)
    attachment = only_file(submitted)
    handler = officer(kab)
    sign_in(client, handler)
    page = client.get(f"/kantor/laporan/{submitted.report.tracking_id}/").content.decode()
    assert f'href="/kantor/lampiran/{attachment.pk}/"' in page and "/media/" not in page
    response = client.get(f"/kantor/lampiran/{attachment.pk}/")
    assert response.status_code == 200 and _body(response) == _stored(attachment)
    assert response["Cache-Control"] == "private, no-store"
    record = AccessRecord.objects.get(kind=AccessRecord.Kind.ATTACHMENT)
    assert record.report == submitted.report and record.attachment == attachment
    assert record.actor == handler and record.agency == kab


def test_opening_a_file_of_a_report_not_rahasia_is_not_recorded(client, kab):
    submitted = with_photo(is_confidential=False)
    dispose(submitted, kab)
    sign_in(client, officer(kab))
    assert client.get(f"/kantor/lampiran/{only_file(submitted).pk}/").status_code == 200
    assert not AccessRecord.objects.filter(kind=AccessRecord.Kind.ATTACHMENT).exists()


def test_an_officer_of_another_agency_gets_404_and_nothing_is_recorded(client, kab):
    submitted = with_photo(is_confidential=True)
    dispose(submitted, kab)
    attachment = only_file(submitted)
    stranger = officer(AgencyFactory(code="pemkot-3374", name="Pemerintah Kota Semarang"))
    sign_in(client, stranger)
    assert client.get(f"/kantor/lampiran/{attachment.pk}/").status_code == 404
    assert client.get(f"/lampiran/{attachment.pk}/").status_code == 404
    assert not AccessRecord.objects.exists()


def test_a_unit_officer_sees_only_what_was_forwarded_to_their_unit(client, kab):
    submitted = with_photo(is_confidential=True)
    dispose(submitted, kab)
    unit_officer = officer(
        AgencyFactory(code="pemkab-3321-dinkes", name="Dinkes Demak", parent=kab),
        Membership.Role.UNIT_OFFICER,
    )
    sign_in(client, unit_officer)
    assert client.get(f"/kantor/lampiran/{only_file(submitted).pk}/").status_code == 404


def test_without_a_back_office_session_the_officer_url_asks_to_sign_in(client, kab):
    attachment = only_file(with_photo())
    response = client.get(f"/kantor/lampiran/{attachment.pk}/")
    assert response.status_code == 302 and "/kantor/masuk/" in response["Location"]
    response = client.get("/kantor/lampiran/999999/")  # the same answer: no hint of existence
    assert response.status_code == 302 and "/kantor/masuk/" in response["Location"]


# --- production: the proxy sends the bytes ---------------------------------------------------


def test_in_production_the_proxy_is_told_where_the_file_is(client, kab):
    submitted = with_photo(is_confidential=True)
    dispose(submitted, kab)
    attachment = only_file(submitted)
    sign_in(client, officer(kab))
    with override_settings(LAPOR_ATTACHMENT_ACCEL_PREFIX="/_lampiran/"):
        response = client.get(f"/kantor/lampiran/{attachment.pk}/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_lampiran/{attachment.file.name}"
    assert _body(response) == b""
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert AccessRecord.objects.filter(attachment=attachment).count() == 1


def test_in_production_a_refused_visitor_gets_no_proxy_header(client):
    attachment = only_file(with_photo(is_confidential=True))
    with override_settings(LAPOR_ATTACHMENT_ACCEL_PREFIX="/_lampiran/"):
        response = client.get(f"/lampiran/{attachment.pk}/")
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_a_pdf_is_served_as_a_pdf_to_the_officer(client, kab):
    sent = Upload(name="surat keterangan.pdf", content=io.BytesIO(PDF))
    submitted = submit(attachments=[sent])
    dispose(submitted, kab)
    sign_in(client, officer(kab))
    response = client.get(f"/kantor/lampiran/{only_file(submitted).pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _body(response) == PDF
    assert response["Content-Disposition"] == 'inline; filename="surat keterangan.pdf"'
