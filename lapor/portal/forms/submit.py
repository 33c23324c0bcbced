from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.portal.forms.kept_choices import set_choices
from lapor.portal.forms.requested_agency import RequestedAgencyFields
from lapor.portal.forms.village import VillageFields
from lapor.portal.selectors import (
    category_choices,
    district_choices,
    districts_loaded,
    regency_choices,
)
from lapor.regions.models import WIT
from lapor.reports.models import Report
from lapor.reports.services.submit_checks import earliest_incident_date


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or PDFs; their content is checked by ``reports.services``."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SubmitForm(RequestedAgencyFields, VillageFields):
    type = forms.ChoiceField(
        label=_("Jenis laporan"),
        choices=Report.Type.choices,
        initial=Report.Type.PENGADUAN,
        widget=forms.RadioSelect,
        help_text=_(
            "Pengaduan: masalah pelayanan publik. Aspirasi: saran atau usulan. "
            "Permintaan informasi: pertanyaan kepada instansi."
        ),
    )
    title = forms.CharField(label=_("Judul laporan"), max_length=200, min_length=5)
    body = forms.CharField(
        label=_("Isi laporan"),
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=20,
        max_length=20000,
        help_text=_("Ceritakan apa yang terjadi, di mana, kapan, dan siapa yang terlibat."),
    )
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    region = forms.ChoiceField(
        label=_("Kabupaten/kota kejadian"),
        help_text=_("Daftar dikelompokkan per provinsi."),
    )
    district = forms.ChoiceField(label=_("Kecamatan"), required=False)
    latitude = forms.DecimalField(
        label=_("Garis lintang"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Garis bujur"), required=False, max_digits=9, decimal_places=6
    )
    incident_date = forms.DateField(
        label=_("Tanggal kejadian"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    attachments = MultipleFileField(
        label=_("Lampiran (foto atau PDF)"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim: sembunyikan nama saya"),
        required=False,
        initial=True,
        help_text=_(
            "Nama dan kontak Anda tidak ditampilkan kepada publik maupun kepada instansi "
            "yang menangani. Hanya Anda yang dapat melihatnya."
        ),
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia: jangan tampilkan laporan ini kepada publik"),
        required=False,
        initial=True,
        help_text=_(
            "Laporan tidak muncul di daftar laporan publik, pencarian, maupun halaman mana pun. "
            "Hanya Anda dan petugas yang berwenang yang dapat membacanya."
        ),
    )
    contact_name = forms.CharField(label=_("Nama Anda"), required=False, max_length=120)
    contact_email = forms.EmailField(label=_("Surel"), required=False)
    contact_phone = forms.CharField(
        label=_("Nomor telepon"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)

    def _set_choices(self, name: str, choices: Any) -> None:
        set_choices(self.fields[name], choices)

    def __init__(self, *args: Any, guest: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_choices("category", category_choices())
        self._set_choices("region", regency_choices())
        regency = self.data.get("region") if self.is_bound else self.initial.get("region")
        districts = district_choices(regency or "")
        self._set_choices("district", [("", "—"), *districts])
        self.has_districts = bool(districts)
        # A level the reference data lacks is said so on the form, never a silent reload.
        self.district_missing = bool(regency) and not districts
        self.districts_loaded = self.district_missing or districts_loaded()
        self.setup_requested_agency(regency or "")
        self.setup_village(regency or "", self.has_districts)
        # The date picker offers the dates the service accepts (Papua's "today" comes first).
        latest = timezone.localdate(timezone=ZoneInfo(WIT))
        self.fields["incident_date"].widget.attrs.update(
            min=earliest_incident_date(latest).isoformat(), max=latest.isoformat()
        )
        self.fields["attachments"].help_text = _(
            "Paling banyak %(count)s berkas, masing-masing paling besar %(size)s MB."
        ) % {
            "count": settings.LAPOR_MAX_ATTACHMENTS,
            "size": settings.LAPOR_MAX_UPLOAD_BYTES // (1024 * 1024),
        }
        if not guest:
            for name in ("contact_name", "contact_email", "contact_phone"):
                del self.fields[name]

    def location_fields(self) -> list[forms.BoundField]:
        return [self["region"], self["district"]]
