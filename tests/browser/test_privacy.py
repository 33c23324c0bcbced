"""A guest erases their identity from their report, in a real browser on a 360 px screen."""

from __future__ import annotations

import pytest

from lapor.reports.lifecycle import Action
from lapor.reports.models import Report
from tests.browser.conftest import fits_phone, shot
from tests.factories import submit

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Markonah Zulfikarsyah"
EMAIL = "markonah.zulfikar@contoh.id"


def test_guest_erases_their_identity_after_a_clear_warning(page):
    # given a guest's named report, opened on the track page with its secret
    sub = submit(is_anonymous=False, is_confidential=False, contact_name=NAME, contact_email=EMAIL)
    page.goto(f"/lacak/{sub.report.tracking_id}/")
    page.get_by_label("Kode rahasia").fill(sub.secret)
    page.get_by_role("button", name="Buka detail").click()
    assert EMAIL in page.content()
    # when they choose to erase their name and contact details
    page.get_by_role("link", name="Hapus nama dan kontak saya dari laporan ini").click()
    # then they are warned it cannot be undone, and must tick that they understand
    assert "Penghapusan ini tidak dapat dibatalkan." in page.locator("#peringatan").inner_text()
    assert fits_phone(page)
    shot(page, "erase-identity-warning")
    page.get_by_role("button", name="Hapus identitas saya untuk selamanya").click()
    assert "Centang kotak ini untuk melanjutkan." in page.content()
    assert Report.objects.get(pk=sub.report.pk).contact_email == EMAIL
    page.get_by_label("Saya mengerti").check()
    page.get_by_role("button", name="Hapus identitas saya untuk selamanya").click()
    # and back on their report, it says their identity is gone, and it is
    assert "Nama dan kontak Anda sudah dihapus" in page.content()
    assert EMAIL not in page.content() and NAME not in page.content()
    report = Report.objects.get(pk=sub.report.pk)
    assert (report.contact_name, report.contact_email, report.is_anonymous) == ("", "", True)
    assert report.events.filter(action=Action.ERASE_IDENTITY).count() == 1
    shot(page, "erase-identity-done")
