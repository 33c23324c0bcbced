"""Checks a new report must pass before anything is written (``report_submit``): every field,
in the citizen's language, naming the field."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.validators import validate_email
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.core.errors import ValidationFailed
from lapor.core.phones import InvalidPhone, normalize_phone
from lapor.core.text import clean, visible_length
from lapor.regions.models import Region
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.models import Report

if TYPE_CHECKING:
    from lapor.accounts.models import User


# An incident date further back is a typing slip (0001-01-01) far more often than a fact; an
# older case is still taken, with its time told in the text.
INCIDENT_YEARS = 10


def earliest_incident_date(today: date) -> date:
    """The earliest incident date a report may give: ``INCIDENT_YEARS`` before ``today``."""
    try:
        return today.replace(year=today.year - INCIDENT_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - INCIDENT_YEARS, day=28)


def validate(
    *,
    type: str,
    title: str,
    body: str,
    region: Region | None,
    category: Category | None,
    channel: str,
    reporter: User | None,
    relayed: bool,
    contact_email: str,
    contact_phone: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
    incident_date: date | None,
    now: datetime,
) -> None:
    if type not in Report.Type.values:
        raise ValidationFailed(
            _("Pilih jenis laporan: pengaduan, aspirasi atau permintaan informasi."),
            code=ReportErrorCode.UNKNOWN_TYPE,
            field="type",
        )
    if channel not in Report.Channel.values:
        raise ValidationFailed(
            _("Kanal laporan tidak dikenal."), code=ReportErrorCode.UNKNOWN_CHANNEL, field="channel"
        )
    # At least 5 (20) characters a reader can see; at most what the column holds.
    if visible_length(title) < 5 or len(clean(title)) > 200:
        raise ValidationFailed(
            _("Judul laporan harus 5 sampai 200 karakter."),
            code=ReportErrorCode.TITLE_LENGTH,
            field="title",
        )
    if visible_length(body) < 20 or len(clean(body)) > 20000:
        raise ValidationFailed(
            _(
                "Isi laporan terlalu pendek atau terlalu panjang (20 sampai 20.000 karakter). "
                "Ceritakan apa, di mana dan kapan kejadiannya."
            ),
            code=ReportErrorCode.BODY_LENGTH,
            field="body",
        )
    if region is None:
        raise ValidationFailed(
            _("Pilih lokasi kejadian (provinsi dan kabupaten/kota)."),
            code=ReportErrorCode.REGION_REQUIRED,
            field="region",
        )
    if category is not None and not category.is_active:
        raise ValidationFailed(
            _("Kategori ini tidak lagi dipakai. Pilih kategori lain."),
            code=ReportErrorCode.UNKNOWN_CATEGORY,
            field="category",
        )
    # A guest needs a contact to hear back, unless a partner files for them and relays.
    if reporter is None and not relayed and not (contact_email or contact_phone):
        raise ValidationFailed(
            _(
                "Isi alamat surel atau nomor telepon agar kami bisa mengabarkan tindak "
                "lanjutnya, atau masuk dengan akun Anda."
            ),
            code=ReportErrorCode.CONTACT_REQUIRED,
            field="contact_email",
        )
    if contact_email:
        try:
            validate_email(contact_email)
        except Exception:
            raise ValidationFailed(
                _("Alamat surel tidak valid."),
                code=ReportErrorCode.INVALID_EMAIL,
                field="contact_email",
            ) from None
    if (latitude is None) != (longitude is None) or (
        latitude is not None
        and longitude is not None
        and not (-11.5 <= float(latitude) <= 6.5 and 94.5 <= float(longitude) <= 141.5)
    ):
        raise ValidationFailed(
            _("Koordinat lokasi berada di luar wilayah Indonesia."),
            code=ReportErrorCode.INVALID_COORDINATES,
            field="latitude",
        )
    # "Today" where it happened: at 06.00 WIT it is already tomorrow in UTC's eyes.
    today = timezone.localdate(now, ZoneInfo(region.timezone))
    if incident_date is not None and incident_date > today:
        raise ValidationFailed(
            _("Tanggal kejadian tidak boleh di masa depan."),
            code=ReportErrorCode.FUTURE_INCIDENT_DATE,
            field="incident_date",
        )
    if incident_date is not None and incident_date < earliest_incident_date(today):
        raise ValidationFailed(
            ngettext(
                "Tanggal kejadian paling awal %(date)s (%(years)d tahun yang lalu). Untuk "
                "kejadian yang lebih lama, kosongkan tanggalnya dan ceritakan waktunya di isi "
                "laporan.",
                "Tanggal kejadian paling awal %(date)s (%(years)d tahun yang lalu). Untuk "
                "kejadian yang lebih lama, kosongkan tanggalnya dan ceritakan waktunya di isi "
                "laporan.",
                INCIDENT_YEARS,
            )
            % {
                "date": date_format(earliest_incident_date(today), "j F Y"),
                "years": INCIDENT_YEARS,
            },
            code=ReportErrorCode.OLD_INCIDENT_DATE,
            field="incident_date",
        )


def normalized_phone(value: str) -> str:
    """``value`` in E.164 (``+6281234567890``), or a ``ValidationFailed`` for its field."""
    try:
        return normalize_phone(value)
    except InvalidPhone:
        raise ValidationFailed(
            _(
                "Nomor telepon tidak valid. Tulis nomor ponsel atau telepon Indonesia, misalnya "
                "0812 3456 7890, atau nomor luar negeri dengan kode negaranya (+…)."
            ),
            code=ReportErrorCode.INVALID_PHONE,
            field="contact_phone",
        ) from None


def check_requested_agency(agency: Agency | None) -> None:
    """The agency a citizen names must be one a report can be sent to: active, receiving
    reports, and not the national operator or a grouping node."""
    if agency is None:
        return
    if (
        not agency.is_active
        or not agency.accepts_reports
        or agency.kind in (Agency.Kind.NATIONAL, Agency.Kind.GROUP, Agency.Kind.IMPORTED)
    ):
        raise ValidationFailed(
            _(
                "%(name)s tidak menerima laporan langsung. Pilih instansi lain dari hasil "
                "pencarian, atau kosongkan pilihan instansi: laporan Anda tetap diteruskan "
                "ke instansi yang berwenang."
            )
            % {"name": agency.name},
            code=ReportErrorCode.AGENCY_UNAVAILABLE,
            field="requested_agency",
        )
