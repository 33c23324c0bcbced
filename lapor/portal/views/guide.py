"""Help pages: what each status and deadline means, how anonim and rahasia protect a reporter,
questions often asked, about the service and how to reach it. Static text, no report data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from lapor.categories.loader import DEFAULT_SLA
from lapor.categories.models import SlaPolicy
from lapor.reports.lifecycle import Status

# What each status means for the reporter, and who acts next.
STATUS_HELP = {
    Status.SUBMITTED: _(
        "Laporan sudah kami terima dan sedang dibaca sistem untuk menentukan instansi yang "
        "berwenang. Belum ada yang perlu Anda lakukan."
    ),
    Status.TRIAGE: _(
        "Admin nasional memeriksa laporan dan memilih instansi yang berwenang. Verifikasi dan "
        "disposisi selesai paling lama %(verify)s hari kerja sejak laporan dikirim."
    ),
    Status.DISPOSED: _(
        "Laporan sudah diteruskan ke instansi yang berwenang. Instansi menyusun tindak lanjut "
        "paling lama %(followup)s hari kerja."
    ),
    Status.IN_PROGRESS: _(
        "Instansi sedang menangani laporan, sering kali lewat unit kerjanya (dinas, puskesmas, "
        "kecamatan). Batas tindak lanjut tetap %(followup)s hari kerja."
    ),
    Status.ON_HOLD: _(
        "Penanganan ditunda sementara dengan alasan yang tercatat di riwayat (misalnya menunggu "
        "survei lapangan). Batas waktu berhenti berjalan sampai penanganan dilanjutkan."
    ),
    Status.AWAITING_REPORTER: _(
        "Petugas membutuhkan keterangan dari Anda. Jawab pertanyaannya di halaman lacak; "
        "batas waktu berhenti sampai Anda menjawab."
    ),
    Status.ANSWERED: _(
        "Instansi sudah memberi tindak lanjut. Jika belum menjawab masalah Anda, tanggapi di "
        "halaman lacak. Tanpa tanggapan, laporan ditutup otomatis setelah %(autoclose)s hari "
        "kerja."
    ),
    Status.COMPLETED: _(
        "Instansi menyatakan laporan selesai. Beri nilai; nilai rendah (1 atau 2) membuka "
        "jalan untuk banding."
    ),
    Status.CLOSED: _(
        "Laporan ditutup otomatis karena tidak ada tanggapan %(autoclose)s hari kerja setelah "
        "tindak lanjut. Anda masih dapat memberi nilai dan mengajukan banding."
    ),
    Status.ARCHIVED: _(
        "Laporan diarsipkan dengan alasan yang tertulis di riwayat, misalnya isinya tidak "
        "cukup untuk ditindaklanjuti. Anda dapat mengirim laporan baru yang lebih lengkap."
    ),
    Status.MERGED: _(
        "Masalah yang sama sudah dilaporkan warga lain. Laporan Anda digabung ke laporan itu "
        "dan Anda menerima kabar perkembangannya; ikuti tautannya di halaman lacak."
    ),
}

PAGES = {
    "index": ("portal/help/index.html", _("Bantuan")),
    "status": ("portal/help/status.html", _("Status laporan dan batas waktu")),
    "privacy": ("portal/help/privacy.html", _("Anonim dan rahasia")),
    "faq": ("portal/help/faq.html", _("Pertanyaan yang sering diajukan")),
    "about": ("portal/help/about.html", _("Tentang LAPOR!")),
    "contact": ("portal/help/contact.html", _("Kontak")),
}


def _sla() -> dict[str, int]:
    """The national default time limits in force (one query); the shipped ones before any
    reference data is loaded."""
    policy = (
        SlaPolicy.objects.filter(agency__isnull=True, category__isnull=True)
        .order_by("-version")
        .first()
    )
    if policy is None:
        return dict(DEFAULT_SLA)
    return {name: int(getattr(policy, name)) for name in DEFAULT_SLA}


def page(request: HttpRequest, name: str = "index") -> HttpResponse:
    template, title = PAGES[name]
    context: dict[str, object] = {"title": title, "pages": PAGES}
    if name in ("status", "faq"):
        sla = _sla()
        days = {
            "verify": sla["verify_days"],
            "followup": sla["followup_days"],
            "autoclose": sla["autoclose_days"],
        }
        context["sla"] = sla
        context["statuses"] = [
            (status.value, status.label, str(STATUS_HELP[status]) % days) for status in Status
        ]
    return render(request, template, context)
