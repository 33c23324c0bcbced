"""``lapor demo [--port 8000] [--count 3000]``: everything set up, then the site and the worker.

Migrates, loads the reference data (skipped when present) and the demo data (skipped when
present), collects static files, then serves http://127.0.0.1:PORT with ``lapor worker``
beside it until Ctrl-C, which stops both. Running it again reuses what exists.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from lapor.accounts.models import User
from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.demo.accounts import DEMO_PASSWORD, FEATURED_CITIZENS, NATIONAL_ADMIN
from lapor.demo.loader import demo_loaded, load_demo
from lapor.demo.serve import lapor_command, port_free, run_together
from lapor.regions.models import Region
from lapor.reports.models import Report


def reference_present() -> bool:
    return (
        Region.objects.exists()
        and Category.objects.exists()
        and Agency.objects.filter(kind__in=[Agency.Kind.REGENCY, Agency.Kind.CITY]).exists()
    )


def demo_logins() -> list[tuple[str, str]]:
    """The logins worth trying first: who they are, and the username."""
    logins = [("Admin nasional / national admin (+ /admin/)", NATIONAL_ADMIN)]
    busiest = (
        Report.objects.filter(agency__isnull=False)
        .values("agency__code", "agency__name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:2]
    )
    for row in busiest:
        username = f"admin.{row['agency__code']}"
        if User.objects.filter(username=username).exists():
            logins.append((f"Admin instansi · {row['agency__name']}", username))
    unit = (
        Report.objects.filter(unit__isnull=False)
        .values("unit__code", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if unit and User.objects.filter(username=f"pic.{unit['unit__code']}").exists():
        logins.append((f"PIC unit · {unit['unit__name']}", f"pic.{unit['unit__code']}"))
    logins.append(("Warga / citizen", FEATURED_CITIZENS[0][0]))
    return logins


class Command(BaseCommand):
    help = "Jalankan demo lengkap: situs + worker / Run the full demo: site + worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--count", type=int, default=3000, help="laporan demo bila belum ada (0: tanpa)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        if not port_free("127.0.0.1", port):
            raise CommandError(
                f"Port {port} sudah dipakai; jalankan dengan --port LAIN. / Port {port} is in "
                "use; pass --port OTHER."
            )
        say = self.stdout.write
        say("1/4 Migrasi basis data / migrating the database ...")
        call_command("migrate", interactive=False, verbosity=0)
        if reference_present():
            say("2/4 Data rujukan sudah ada / reference data present.")
        elif "reference_load" in get_commands():
            say("2/4 Memuat data rujukan / loading reference data ...")
            call_command("reference_load", verbosity=0)
        else:
            say(self.style.WARNING("2/4 `lapor reference load` belum tersedia / not installed."))
        if options["count"] <= 0:
            say("3/4 Tanpa data demo / no demo data (--count 0).")
        elif demo_loaded():
            say("3/4 Data demo sudah ada / demo data present.")
        else:
            n = options["count"]
            say(f"3/4 Memuat {n} laporan demo (1-3 menit) / loading demo reports ...")
            result = load_demo(count=options["count"])
            say(f"    {result.reports} laporan, {result.events} peristiwa, {result.seconds:.0f} s")
        call_command("collectstatic", interactive=False, verbosity=0)
        say("4/4 Menjalankan situs dan worker / starting the site and the worker ...")
        code = run_together(
            {
                "web": lapor_command("runserver", f"127.0.0.1:{port}", "--noreload"),
                "worker": lapor_command("worker"),
            },
            on_started=lambda pids: self._banner(port, pids),
        )
        say("Demo berhenti / demo stopped.")
        if code:
            raise CommandError(f"a child process stopped with exit code {code}", returncode=code)

    def _banner(self, port: int, pids: dict[str, int]) -> None:
        url = f"http://127.0.0.1:{port}/"
        lines = [
            "",
            "=" * 72,
            " LAPOR! demo berjalan / is running",
            f"   Situs / site:        {url}",
            f"   Admin Django:        {url}admin/",
            f"   Kata sandi demo / demo password: {DEMO_PASSWORD}",
            "   Akun / logins:",
            *(f"     {username:<34} {who}" for who, username in demo_logins()),
            f"   Proses / processes: web PID {pids['web']}, worker PID {pids['worker']}",
            " Tekan Ctrl-C untuk berhenti / press Ctrl-C to stop.",
            "=" * 72,
            "",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
