"""The walk-in desk and call-centre form (``/kantor/loket/``): an officer records a citizen's
report for them (``lapor.channels.walkin``) and prints the receipt. The receipt, with the
secret, is the answer to the form itself: it is never stored, and no cache keeps the page."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from lapor.backoffice.access import officer_required
from lapor.backoffice.views.common import officer_of, page
from lapor.channels.texts import track_link
from lapor.channels.walkin import WALKIN_CHANNELS, walkin_submit
from lapor.core.errors import LaporError
from lapor.regions.models import Region
from lapor.reports.models import Report


class RegionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        parent = obj.parent.name if obj.parent_id and obj.parent else ""
        return f"{obj.name} ({parent})" if parent else obj.name


class WalkinForm(forms.Form):
    channel = forms.ChoiceField(
        label=gettext_lazy("Kanal"),
        choices=[(c.value, c.label) for c in WALKIN_CHANNELS],
        widget=forms.RadioSelect,
        initial=Report.Channel.LOKET,
    )
    contact_name = forms.CharField(label=gettext_lazy("Nama warga"), max_length=120, required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("Nomor ponsel warga (untuk SMS tanda terima)"),
        max_length=32,
        required=False,
    )
    contact_email = forms.EmailField(label=gettext_lazy("Surel warga"), required=False)
    region = RegionChoice(
        label=gettext_lazy("Lokasi kejadian (kabupaten/kota)"),
        queryset=Region.objects.filter(level=Region.Level.KABUPATEN_KOTA)
        .select_related("parent")
        .order_by("name"),
    )
    title = forms.CharField(label=gettext_lazy("Judul"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Isi laporan"), widget=forms.Textarea)
    is_anonymous = forms.BooleanField(
        label=gettext_lazy("Anonim: identitas warga disembunyikan, juga dari instansi"),
        required=False,
        initial=True,
    )
    is_confidential = forms.BooleanField(
        label=gettext_lazy("Rahasia: laporan tidak ditampilkan kepada publik"),
        required=False,
        initial=True,
    )
    consent = forms.BooleanField(
        label=gettext_lazy("Pilihan privasi di atas sudah saya bacakan dan warga menyetujuinya"),
        required=False,
    )


@never_cache
@officer_required
def walkin(request: HttpRequest) -> HttpResponse:
    form = WalkinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = walkin_submit(officer=officer_of(request).user, **data)
        except LaporError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            report = recorded.report
            return page(
                request,
                "backoffice/walkin_receipt.html",
                {
                    "report": report,
                    "secret": recorded.submitted.secret,
                    "channel_label": report.get_channel_display(),
                    "link": track_link(report.tracking_id),
                    "sms_to": report.contact_phone,
                },
            )
    return page(
        request, "backoffice/walkin.html", {"form": form}, status=400 if form.errors else 200
    )
