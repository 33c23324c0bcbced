"""Demo accounts: the national admin, agency admins and unit PICs, and citizen accounts.

Every demo account shares one documented password (``DEMO_PASSWORD``), hashed once so making
hundreds of officer accounts stays fast.
"""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership
from lapor.demo import places

DEMO_PASSWORD = "demo-lapor-2024"  # noqa: S105 - documented demo login, never for production
NATIONAL_ADMIN = "admin.nasional"
FEATURED_CITIZENS = [
    ("warga.budi", "Budi", "Santoso"),
    ("warga.siti", "Siti", "Rahmawati"),
    ("warga.ketut", "Ketut", "Wirawan"),
]


class Accounts:
    """Finds or makes the demo accounts, caching them for the loader."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._hash = make_password(DEMO_PASSWORD)
        self._admins: dict[int, User] = {}
        self._pics: dict[int, User] = {}
        self.national = self._national_admin()
        self.citizens = self._citizens()

    def _user(self, username: str, first: str, last: str, **extra: object) -> User:
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "password": self._hash,
                "email": f"{username}@contoh.test",
                **extra,
            },
        )
        return user

    def _national_admin(self) -> User:
        root = Agency.objects.filter(kind=Agency.Kind.NATIONAL).order_by("path").first()
        if root is None:
            root = Agency.objects.create(
                code="pengelola-nasional",
                name="Pengelola SP4N-LAPOR! Nasional",
                kind=Agency.Kind.NATIONAL,
                accepts_reports=False,
            )
        user = self._user(NATIONAL_ADMIN, "Admin", "Nasional", is_staff=True, is_superuser=True)
        Membership.objects.get_or_create(
            user=user, agency=root, role=Membership.Role.NATIONAL_ADMIN
        )
        return user

    def _citizens(self) -> list[User]:
        made = [
            self._user(u, first, last, phone=places.phone(self.rng))
            for u, first, last in FEATURED_CITIZENS
        ]
        for n in range(30):
            name = places.person(self.rng).split()
            made.append(
                self._user(
                    f"warga{n + 1:02d}.{name[0].lower()}", name[0], name[1] if len(name) > 1 else ""
                )
            )
        return made

    def citizen(self) -> User:
        """A citizen account; the three featured ones file a good share of reports."""
        if self.rng.random() < 0.3:
            return self.rng.choice(self.citizens[:3])
        return self.rng.choice(self.citizens[3:])

    def admin_of(self, agency: Agency) -> User:
        """The admin instansi of ``agency`` (made on first use)."""
        user = self._admins.get(agency.pk)
        if user is None:
            user = self._user(
                f"admin.{agency.code}", "Admin", (agency.short_name or agency.name)[:150]
            )
            Membership.objects.get_or_create(
                user=user, agency=agency, role=Membership.Role.AGENCY_ADMIN
            )
            self._admins[agency.pk] = user
        return user

    def pic_of(self, unit: Agency) -> User:
        """The PIC of ``unit`` (made on first use)."""
        user = self._pics.get(unit.pk)
        if user is None:
            user = self._user(f"pic.{unit.code}", "PIC", (unit.short_name or unit.name)[:150])
            Membership.objects.get_or_create(
                user=user, agency=unit, role=Membership.Role.UNIT_OFFICER
            )
            self._pics[unit.pk] = user
        return user
