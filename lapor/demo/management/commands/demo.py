"""``lapor demo [--port 8000] [--count 3000] [--first 100]``: set up, then site and worker.

Migrates, loads the reference data (skipped when present) and a first batch of demo reports
(``--first``), collects static files, then serves http://127.0.0.1:PORT with ``lapor worker``
beside it until Ctrl-C, which stops both. The rest of the demo reports load in the background
(``lapor demo load --rest``) while the site already answers. Running it again reuses what
exists and finishes a load that was stopped half-way.
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
from lapor.demo.loader import demo_requested, load_demo
from lapor.demo.serve import lapor_command, port_free, run_together
from lapor.regions.loader import KECAMATAN_FILE
from lapor.regions.models import Region
from lapor.reports.models import Report


def reference_present() -> bool:
    return (
        Region.objects.filter(level=Region.Level.KECAMATAN).exists()
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
    rest = 0
    help = "Jalankan demo lengkap: situs + worker / Run the full demo: site + worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--count", type=int, default=3000, help="laporan demo bila belum ada (0: tanpa)"
        )
        parser.add_argument(
            "--first",
            type=int,
            default=100,
            help="laporan yang dimuat sebelum situs berjalan; sisanya di latar belakang",
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
            call_command("reference_load", kecamatan=KECAMATAN_FILE, verbosity=0)
        else:
            say(self.style.WARNING("2/4 `lapor reference load` belum tersedia / not installed."))
        count = options["count"]
        if count <= 0:
            say("3/4 Tanpa data demo / no demo data (--count 0).")
        elif demo_requested() >= count:
            say("3/4 Data demo sudah ada / demo data present.")
        elif demo_requested() == 0:
            n = min(count, max(1, options["first"]))
            say(f"3/4 Memuat {n} laporan demo pertama / loading the first {n} demo reports ...")
            result = load_demo(count=n)
            say(f"    {result.reports} laporan, {result.events} peristiwa, {result.seconds:.0f} s")
        else:
            say("3/4 Data demo sebagian ada / demo data partly present.")
        commands = {
            "web": lapor_command("runserver", f"127.0.0.1:{port}", "--noreload"),
            "worker": lapor_command("worker"),
        }
        self.rest = max(0, count - demo_requested())
        if self.rest:
            commands["demo"] = lapor_command("demo", "load", "--rest", "--count", str(count))
        call_command("collectstatic", interactive=False, verbosity=0)
        say("4/4 Menjalankan situs dan worker / starting the site and the worker ...")
        code = run_together(
            commands,
            on_started=lambda pids: self._banner(port, pids),
            oneshot=frozenset({"demo"}),
            # The site as visitors meet it: the project's own error pages, not Django's debug
            # pages (static files are served by WhiteNoise from the collected files).
            env={"web": {"DEBUG": "false"}},
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
            *(
                [
                    f"   {self.rest} laporan demo lagi dimuat di latar belakang (PID "
                    f"{pids['demo']}) / {self.rest} more demo reports are loading in the "
                    "background."
                ]
                if "demo" in pids
                else []
            ),
            " Tekan Ctrl-C untuk berhenti / press Ctrl-C to stop.",
            "=" * 72,
            "",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
