"""Photos: the reporter sees their own as pictures; a public report shows its public photos;
a rahasia report's photos and a PDF never reach the public."""

from __future__ import annotations

from io import BytesIO

import pytest

from lapor.reports.services import Upload
from tests.factories import submit
from tests.portal.conftest import PNG, page

pytestmark = pytest.mark.django_db


def _with_photo(**overrides):  # type: ignore[no-untyped-def]
    return submit(attachments=[Upload(name="lubang.png", content=BytesIO(PNG))], **overrides)


def test_the_reporter_sees_their_own_photo(client):
    sub = _with_photo()
    url = f"/lacak/{sub.report.tracking_id}/"
    client.post(url, {"action": "secret", "secret": sub.secret})
    html = page(client, url)
    photo = sub.report.attachments.get()
    assert f'<img src="/lampiran/{photo.pk}/kecil/"' in html
    assert client.get(f"/lampiran/{photo.pk}/").status_code == 200


def test_a_public_report_shows_its_public_photos_and_nothing_else(
    client, django_assert_max_num_queries
):
    sub = _with_photo(is_confidential=False, is_anonymous=True)
    photo = sub.report.attachments.get()
    photo.is_public = True
    photo.save(update_fields=["is_public"])
    with django_assert_max_num_queries(4):
        html = page(client, f"/laporan/{sub.report.tracking_id}/")
    assert f'<img src="/lampiran/{photo.pk}/kecil/"' in html and 'loading="lazy"' in html
    assert "Siti Aminah" not in html and "lubang.png" not in html


def test_a_rahasia_report_photo_stays_hidden(client):
    sub = _with_photo(is_confidential=True)
    photo = sub.report.attachments.get()
    photo.is_public = True
    photo.save(update_fields=["is_public"])
    html = page(client, f"/lacak/{sub.report.tracking_id}/")  # a stranger holding the ID
    assert "/lampiran/" not in html
    assert client.get(f"/lampiran/{photo.pk}/").status_code == 404
    assert client.get(f"/laporan/{sub.report.tracking_id}/").status_code == 404


def test_a_reply_and_an_appeal_take_photos(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lapor.reports import services
    from tests.factories import officer
    from tests.portal.conftest import answered

    sub = submit()
    agency = answered(sub.report)
    url = f"/lacak/{sub.report.tracking_id}/"
    client.post(url, {"action": "secret", "secret": sub.secret})
    assert 'enctype="multipart/form-data"' in page(client, url)
    photo = SimpleUploadedFile("masih.png", PNG, content_type="image/png")
    done = client.post(
        url, {"action": "reply", "message": "Masih berlubang.", "attachments": photo}
    )
    assert done.status_code == 302
    assert sub.report.attachments.count() == 1
    reply = sub.report.events.order_by("-seq").first()
    assert reply.action == "reporter_reply" and reply.data == {"attachments": 1}
    # a file that is not a photo is refused with the reason, and nothing is stored
    fake = SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image", content_type="image/png")
    sub.report.refresh_from_db()
    html = client.post(url, {"action": "reply", "message": "Lagi.", "attachments": fake})
    assert sub.report.attachments.count() == 1
    assert html.status_code == 200
    # the appeal after a poor score takes a photo too
    sub.report.refresh_from_db()
    services.report_follow_up(
        report=sub.report, actor=officer(agency), message="Sudah ditambal ulang pada pagi ini."
    )
    services.report_complete(report=sub.report, actor=officer(agency), message="Selesai.")
    services.report_rate(report=sub.report, rating=1, comment="Belum.", secret=sub.secret)
    photo = SimpleUploadedFile("lagi.png", PNG, content_type="image/png")
    client.post(
        url, {"action": "reopen", "reason": "Lubangnya terbuka lagi kemarin.", "attachments": photo}
    )
    sub.report.refresh_from_db()
    assert sub.report.status == "disposed" and sub.report.attachments.count() == 2
