"""Shared set-up of the benchmarks: Django on the PostgreSQL named by DATABASE_URL, migrated,
with the reference data and the officer accounts the generated history names."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_on_postgres() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database of its own, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_bench "
            f".venv/bin/python bench/{Path(sys.argv[0]).name}"
        )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("lapor").setLevel(logging.ERROR)


def prepare() -> None:
    """Migrate and load the reference data (both skipped when already done)."""
    from django.core.management import call_command

    from lapor.agencies.models import Agency

    call_command("migrate", interactive=False, verbosity=0)
    if not Agency.objects.filter(kind=Agency.Kind.REGENCY).exists():
        call_command("reference_load", verbosity=0)


def officers() -> tuple[int, dict[int, int]]:
    """The national admin's id and an admin instansi id for every top-level agency
    (made in bulk with one shared password hash: the benchmark does not log in)."""
    import random

    from django.contrib.auth.hashers import make_password

    from lapor.accounts.models import User
    from lapor.agencies.models import Agency, Membership
    from lapor.demo.accounts import Accounts

    national = Accounts(random.Random(1)).national.pk
    agencies = list(Agency.objects.exclude(kind=Agency.Kind.UNIT).values_list("pk", "code"))
    have = dict(
        Membership.objects.filter(role=Membership.Role.AGENCY_ADMIN).values_list(
            "agency_id", "user_id"
        )
    )
    missing = [(pk, code) for pk, code in agencies if pk not in have]
    if missing:
        password = make_password(None)
        users = User.objects.bulk_create(
            [User(username=f"bench.{code}", password=password) for _, code in missing]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=u, agency_id=pk, role=Membership.Role.AGENCY_ADMIN)
                for u, (pk, _) in zip(users, missing, strict=True)
            ]
        )
        have.update({pk: u.pk for u, (pk, _) in zip(users, missing, strict=True)})
    return national, have
