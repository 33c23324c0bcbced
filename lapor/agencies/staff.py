"""Granting and revoking staff roles, and the one rule tied to them: an active national-admin
membership (admin nasional) makes the account staff (``is_staff``), which the Django admin
needs; revoking the last one takes staff status away again, unless the account is a superuser.

Every path that changes memberships goes through here: ``grant_membership`` and
``revoke_membership`` for code and the shell, and ``staff_flag_follows`` around the Django
admin's own saves (the membership admin and the staff inlines of the agency and user pages).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction

from lapor.agencies.models import Agency, Membership

if TYPE_CHECKING:
    from lapor.accounts.models import User

NATIONAL = Membership.Role.NATIONAL_ADMIN


def national_admin_ids(user_ids: Iterable[int]) -> set[int]:
    """Those of ``user_ids`` holding an active national-admin membership now."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return set()
    return set(
        Membership.objects.filter(user_id__in=ids, role=NATIONAL, is_active=True).values_list(
            "user_id", flat=True
        )
    )


def sync_staff_flags(user_ids: Iterable[int], *, were_national: set[int]) -> None:
    """Make national admins staff, and take staff status from those who were national admins
    before the change and are no longer (superusers keep it)."""
    ids = {pk for pk in user_ids if pk is not None}
    now_national = national_admin_ids(ids)
    users = get_user_model().objects
    if now_national:
        users.filter(pk__in=now_national, is_staff=False).update(is_staff=True)
    revoked = (were_national & ids) - now_national
    if revoked:
        users.filter(pk__in=revoked, is_superuser=False, is_staff=True).update(is_staff=False)


@contextmanager
def staff_flag_follows(user_ids: Iterable[int]) -> Iterator[None]:
    """Around a change of the memberships of ``user_ids``: afterwards, their staff status
    follows their national-admin role, in the same transaction."""
    ids = {pk for pk in user_ids if pk is not None}
    with transaction.atomic():
        before = national_admin_ids(ids)
        yield
        sync_staff_flags(ids, were_national=before)


def grant_membership(*, user: User, agency: Agency, role: str) -> Membership:
    """Give ``user`` the ``role`` at ``agency`` (reactivating it if it was revoked)."""
    with staff_flag_follows([user.pk]):
        membership, _created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
        if not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
    user.refresh_from_db(fields=["is_staff"])
    return membership


def revoke_membership(*, membership: Membership) -> None:
    """End a role; the row stays (``is_active`` off) so the history of who held it remains."""
    with staff_flag_follows([membership.user_id]):
        membership.is_active = False
        membership.save(update_fields=["is_active"])
