"""The Content-Security-Policy in a real browser: the portal, the back office and the admin load
their styles and scripts and break no rule of the policy (Chromium reports each violation as a
``securitypolicyviolation`` event and on the console)."""

from __future__ import annotations

from typing import Any

import pytest

from lapor.backoffice.access import enrol_totp
from tests.backoffice.conftest import PASSWORD, current_code
from tests.factories import national_admin

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
}"""


def _violations(page: Any, path: str) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(f"({WATCH})()")
    page.goto(path)
    page.wait_for_load_state("load")
    return [*page.evaluate("window.__violations"), *messages]


@pytest.mark.parametrize("path", ["/", "/lapor/", "/laporan/", "/lacak/", "/kantor/masuk/"])
def test_public_and_sign_in_pages_break_no_rule_of_the_policy(page, path):
    assert _violations(page, path) == []
    # the site's own stylesheet applied: the header bar is coloured, not the browser default
    assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") in {
        "rgb(125, 16, 20)",
        "rgb(31, 58, 95)",
    }


def test_the_admin_works_under_the_policy(page):
    user = national_admin()
    user.is_staff = True
    user.save()
    device = enrol_totp(user)
    assert _violations(page, "/admin/") == []
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_otp_token").fill(current_code(device))
    page.locator("#login-form input[type=submit]").click()
    assert page.url.endswith("/admin/")
    assert page.evaluate("window.__violations") == []
    page.goto("/admin/agencies/agency/")
    assert page.evaluate("window.__violations") == []
    assert page.locator("#changelist").is_visible()
