"""The one notification text of the WBS: that there is something to read, never what."""

from __future__ import annotations

from django.utils.translation import gettext as _


def notice() -> tuple[str, str]:
    subject = _("Ada hal baru untuk dibaca di WBS LAPOR!")
    body = _(
        "Ada hal baru untuk Anda baca di Whistleblowing System LAPOR!. Masuk ke LAPOR!, buka "
        "menu WBS, dan buka kunci dengan frasa sandi WBS Anda untuk membacanya."
    )
    return subject, body
