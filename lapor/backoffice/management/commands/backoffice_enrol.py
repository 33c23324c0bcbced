"""``lapor backoffice enrol USERNAME``: give an officer or a staff account a new authenticator
(the first national admin has nobody to enrol them in the browser, and the Django admin asks a
superuser for a code too)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.accounts.models import User
from lapor.backoffice.access import active_memberships, enrol_totp, totp_secret


class Command(BaseCommand):
    help = "Daftarkan (atau setel ulang) autentikator TOTP seorang petugas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        # Officers, and staff accounts (a superuser) who need a code for the Django admin.
        if user is None or not (active_memberships(user) or (user.is_active and user.is_staff)):
            raise CommandError("Tidak ada petugas atau staf aktif dengan nama pengguna itu.")
        device = enrol_totp(user)
        self.stdout.write(f"Kode rahasia: {totp_secret(device)}")
        self.stdout.write(f"URL autentikator: {device.config_url}")
        self.stdout.write("Simpan sekarang: kode ini tidak ditampilkan lagi.")
