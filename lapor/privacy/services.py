"""Erasing a reporter's account (UU PDP: the right to erasure).

The account's name, e-mail and phone are erased, its user name replaced by a meaningless one,
its password made unusable and the account deactivated: nobody can sign in to it again, and
every session it had ends (Django ties a session to the password hash). The row itself stays,
because the reports and their audit events point at it; what is left of it identifies nobody.
Each of its reports is erased through ``reports.services`` (and reads "Anonim" from then on),
with the supports it gave and the messages sent to it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.accounts.models import User
from lapor.core.errors import NotAllowed
from lapor.reports.models import Report
from lapor.reports.services import report_erase_for_account, supports_erase_for_user

ERASED_PREFIX = "dihapus-"


def is_officer(user: User) -> bool:
    return user.is_staff or user.is_superuser or user.memberships.exists()


def account_erase(*, user: User, at: datetime | None = None) -> int:
    """Erase ``user``'s identity everywhere; the number of reports erased. Cannot be undone."""
    if is_officer(user):
        raise NotAllowed(
            _(
                "Akun petugas tidak dapat dihapus dari sini. Minta admin instansi Anda "
                "menonaktifkan akun ini."
            ),
            code="officer_account",
        )
    now = at or timezone.now()
    addresses = {a for a in (user.email, user.phone) if a}
    with transaction.atomic():
        reports = list(Report.objects.filter(reporter=user).order_by("pk"))
        for report in reports:
            report_erase_for_account(report=report, user=user, addresses=addresses, at=now)
        supports_erase_for_user(user=user, addresses=addresses)
        user.username = f"{ERASED_PREFIX}{uuid.uuid4().hex[:16]}"
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.phone = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
    return len(reports)
