"""The Django admin's second factor, in a real browser: password plus the authenticator's code
opens the admin; a wrong code keeps the national admin on the sign-in page."""

from __future__ import annotations

import pytest

from lapor.backoffice.access import enrol_totp
from tests.backoffice.conftest import PASSWORD, current_code
from tests.browser.conftest import shot
from tests.factories import national_admin

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, username: str, code: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_otp_token").fill(code)
    page.locator("#login-form input[type=submit]").click()


def test_the_admin_asks_for_the_authenticator_code(page):
    # given a national admin (staff) with an authenticator
    user = national_admin()
    user.is_staff = True
    user.save()
    device = enrol_totp(user)
    # a wrong code keeps them on the sign-in page, told what was wrong
    _sign_in(page, user.username, "000000")
    assert "/admin/login/" in page.url
    assert "kode autentikator salah" in page.locator("#login-error").inner_text()
    assert page.locator("#id_otp_token").is_visible()
    shot(page, "admin-login-wrong-code")
    # the code from the authenticator opens the admin index (after django-otp's one-second
    # pause that follows a wrong code)
    page.wait_for_timeout(1500)
    _sign_in(page, user.username, current_code(device))
    assert page.url.endswith("/admin/") and "login" not in page.url
    assert page.locator("#site-name").is_visible() and page.locator("#user-tools").is_visible()
    assert page.locator("#login-form").count() == 0
    shot(page, "admin-index")
