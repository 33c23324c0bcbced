"""The marked reports the privacy crawler looks for.

Four reports, each with unique marker strings in the fields the public must never read, moved
through their lifecycle by the real services (routing job, disposition, clarification and the
reporter's reply, internal note, answer):

- ``rahasia_anonim`` and ``rahasia``: nothing of them is public — title, text, contact, the
  officer's questions and notes, the answer, the file name; their pages are 404;
- ``anonim``: public, but nothing that names its reporter (contact, account) may show; its page
  says "Anonim";
- ``named``: public with its reporter's name (a marker the crawler must find: proof that it reads
  what a visitor reads), but not their e-mail or phone, nor a supporter's address.

On every report the clarification request, the reporter's reply, the disposition note and the
internal note are private too: the public sees only an agency's answer of a public report.
"""

from __future__ import annotations

import base64
import io
import secrets
from dataclasses import dataclass, field

import pytest

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership
from lapor.analytics.fill import fill
from lapor.reports import services
from lapor.reports.models import Attachment, Report
from lapor.reports.services import Submitted, Upload
from lapor.reports.tasks import route_report
from tests.factories import (
    AgencyFactory,
    UnitFactory,
    UserFactory,
    national_admin,
    officer,
    submit,
)

# A real 1x1 PNG and a real one-page PDF: uploads are checked by their content.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def marker(label: str) -> str:
    """A word found nowhere else: letters and digits only, so search finds it as one word and
    no escaping or case change (compared lower-case) can hide it."""
    return f"bocor{label}{secrets.token_hex(5)}"


def phone_digits() -> str:
    """Eight random digits, the marked part of an Indonesian mobile number."""
    return str(secrets.randbelow(9 * 10**7) + 10**7)


@dataclass(frozen=True)
class Secret:
    """A marked value of ``report`` that no public response may contain."""

    report: str  # which report (the key in ``World.reports``)
    field: str  # what it is, for the failure message
    value: str
    digits: bool = False  # a phone number: also looked for with separators removed


@dataclass
class World:
    reports: dict[str, Report] = field(default_factory=dict)
    secrets_: dict[str, Submitted] = field(default_factory=dict)
    hidden: list[Secret] = field(default_factory=list)
    # Markers a visitor must see, each with the page it must be on: proof the crawl reads what
    # a visitor reads (a crawler that saw nothing would find no leak either).
    visible: list[tuple[str, str, str]] = field(default_factory=list)  # (value, path, what)
    agencies: list[Agency] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    def tracking_ids(self) -> list[str]:
        return [r.tracking_id for r in self.reports.values()]

    def rahasia(self) -> list[Report]:
        return [r for r in self.reports.values() if r.is_confidential]


@dataclass(frozen=True)
class Handlers:
    agency: Agency
    unit: Agency
    admin: User


def _report(
    world: World,
    key: str,
    *,
    is_confidential: bool,
    is_anonymous: bool,
    handlers: Handlers,
    reporter: User | None = None,
    name_is_public: bool = False,
) -> Report:
    def hide(what: str, value: str, *, digits: bool = False) -> str:
        world.hidden.append(Secret(key, what, value, digits))
        return value

    title = marker(f"{key}judul")
    body = marker(f"{key}isi")
    name = marker(f"{key}nama")
    email_word = marker(f"{key}surel")
    digits = phone_digits()
    files = []
    if is_confidential:
        hide("title", title)
        hide("body", body)
        photo = marker(f"{key}foto")
        hide("attachment file name", photo)
        files.append(Upload(name=f"{photo}.png", content=io.BytesIO(PNG)))
    if not name_is_public:
        hide("contact name", name)
    hide("contact e-mail", email_word)
    hide("contact phone", digits, digits=True)
    # A PDF is never public, whatever the report: its file name is the reporter's.
    letter = hide("attachment file name (PDF)", marker(f"{key}surat"))
    files.append(Upload(name=f"{letter}.pdf", content=io.BytesIO(PDF)))
    sub = submit(
        title=f"Jalan rusak {title} depan pasar",
        body=f"Jalan di depan pasar berlubang besar sejak dua bulan, {body} membahayakan.",
        contact_name=f"Siti {name}",
        contact_email=f"{email_word}@contoh.id",
        contact_phone=f"+62812{digits}",
        is_confidential=is_confidential,
        is_anonymous=is_anonymous,
        reporter=reporter,
        attachments=files,
    )
    report = sub.report
    world.reports[key] = report
    world.secrets_[key] = sub
    world.attachments += list(Attachment.objects.filter(report=report))
    if name_is_public:
        world.visible.append((name, f"/laporan/{report.tracking_id}/", f"{key} reporter name"))
    if not is_confidential:
        world.visible.append((title, f"/laporan/{report.tracking_id}/", f"{key} title"))

    # Its lifecycle, as the officers and the reporter live it
    agency, unit = handlers.agency, handlers.unit
    route_report.call(report.pk)
    report.refresh_from_db()
    services.report_dispose(
        report=report,
        to_agency=agency,
        actor=handlers.admin,
        note=f"Kewenangan kabupaten, {hide('disposition note', marker(f'{key}disposisi'))}.",
    )
    pic = officer(unit, Membership.Role.UNIT_OFFICER)
    services.report_dispose_unit(report=report, unit=unit, actor=officer(agency))
    services.report_request_info(
        report=report,
        actor=pic,
        question=f"Mohon kirim foto KTP, {hide('clarification request', marker(f'{key}tanya'))}.",
    )
    services.report_reply(
        report=report,
        message=f"Foto terlampir, {hide('reporter reply', marker(f'{key}balas'))}.",
        user=reporter,
        secret=sub.secret,
    )
    services.report_add_note(
        report=report,
        actor=pic,
        note=f"Pelapor dikenal warga, {hide('internal note', marker(f'{key}catatan'))}.",
    )
    answer = marker(f"{key}jawab")
    services.report_follow_up(
        report=report,
        actor=pic,
        message=f"Dinas PUPR telah menambal lubang jalan {answer} pada 12 Maret.",
    )
    if is_confidential:
        hide("agency answer", answer)
    else:
        world.visible.append((answer, f"/laporan/{report.tracking_id}/", f"{key} answer"))
    report.refresh_from_db()
    return report


@pytest.fixture
def world(db: None) -> World:
    world = World()
    agency = AgencyFactory(code="pemkab-uji", name="Pemerintah Kabupaten Uji")
    unit = UnitFactory(code="pemkab-uji-pupr", name="Dinas PUPR Uji", parent=agency)
    world.agencies = [agency, unit]
    admin = national_admin()
    common = Handlers(agency=agency, unit=unit, admin=admin)
    _report(world, "rahasiaanonim", is_confidential=True, is_anonymous=True, handlers=common)
    _report(world, "rahasia", is_confidential=True, is_anonymous=False, handlers=common)
    # An account's anonim report: the account's own name and address are hidden too
    username, account_name, account_email = marker("akun"), marker("akunnama"), marker("akunsurel")
    account = UserFactory(
        username=username,
        first_name="Budi",
        last_name=account_name,
        email=f"{account_email}@contoh.id",
    )
    for what, value in (
        ("account username", username),
        ("account name", account_name),
        ("account e-mail", account_email),
    ):
        world.hidden.append(Secret("anonim", what, value))
    _report(
        world,
        "anonim",
        is_confidential=False,
        is_anonymous=True,
        reporter=account,
        handlers=common,
    )
    named = _report(
        world,
        "named",
        is_confidential=False,
        is_anonymous=False,
        name_is_public=True,
        handlers=common,
    )
    # A guest supporter of the named report: their address is theirs alone
    supporter = marker("pendukung")
    world.hidden.append(Secret("named", "supporter e-mail", supporter))
    services.report_support(
        report=named,
        contact_email=f"{supporter}@contoh.id",
        absolute_url=lambda path: f"http://testserver{path}",
    )
    fill()  # the dashboards' rollups count every report above, as the periodic job would
    return world
