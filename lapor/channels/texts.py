"""What the channels answer, in Bahasa Indonesia (the citizen's language on SMS, e-mail and
WhatsApp, as in ``lapor.notifications.texts``), each short enough for one SMS where it can be,
with the link to the tracking page."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from lapor.core.ids import display
from lapor.reports.models import Report


def track_link(tracking_id: str) -> str:
    with translation.override("id"):
        path = reverse("portal:track_report", kwargs={"tracking_id": tracking_id})
    return f"{settings.LAPOR_PUBLIC_URL}{path}"


def status_label(report: Report) -> str:
    with translation.override("id"):
        return str(report.get_status_display())


FILED = (
    "LAPOR! Laporan diterima. No. lacak {tid}, kode rahasia {secret}. Simpan keduanya. "
    "Pantau: {link}"
)
FILED_EMAIL = (
    "Laporan Anda telah kami terima.\n\nNomor pelacakan: {tid}\nKode rahasia: {secret}\n\n"
    "Simpan keduanya: dengan nomor dan kode ini Anda dapat memantau dan menanggapi laporan "
    "di {link}\n\n{privacy}Balas surel ini untuk menambah keterangan; kami kabari setiap "
    "perkembangannya."
)
PRIVACY_SENTENCE = {
    (True, True): "Laporan Anda rahasia (tidak tampil untuk publik) dan identitas Anda "
    "disembunyikan (anonim). ",
    (True, False): "Laporan Anda tampil untuk publik tanpa identitas Anda (anonim). ",
    (False, True): "Laporan Anda rahasia: tidak tampil untuk publik. ",
    (False, False): "",
}
FILED_EMAIL_SUBJECT = "[LAPOR!] Laporan {tid} diterima"
EMAIL_ASK_SUBJECT = "[LAPOR!] Laporan Anda belum dapat kami catat"
EMAIL_ASK_WHAT = (
    "Terima kasih telah menghubungi LAPOR!. Surel Anda terlalu singkat untuk dicatat sebagai "
    "laporan. Kirim ulang dengan cerita yang lebih lengkap: apa yang terjadi, di mana "
    "(kabupaten/kota) dan kapan."
)
EMAIL_ASK_WHERE = (
    "Terima kasih telah menghubungi LAPOR!. Kami belum tahu di mana kejadiannya. Kirim ulang "
    "laporan Anda dengan menyebut kabupaten/kota lokasi kejadian, misalnya: Kabupaten Demak."
)
EMAIL_FILES_REFUSED = "Lampiran berikut tidak kami simpan:"
EMAIL_TOO_MANY_FILES = "Berkas '{name}' melebihi jumlah lampiran yang diterima per laporan."
EMAIL_REPLY_SUBJECT = "[LAPOR!] Tanggapan untuk laporan {tid}"
EMAIL_REPLIED = (
    "Tanggapan Anda untuk laporan {tid} telah kami terima dan diteruskan ke petugas yang "
    "menanganinya.\n\nPantau laporan Anda di {link}"
)
EMAIL_RATED = "Terima kasih. Nilai {rating} untuk laporan {tid} telah kami catat."
EMAIL_REPLY_NOT_RECORDED = "Tanggapan Anda untuk laporan {tid} belum dapat dicatat: {reason}"
EMAIL_REPLY_REFUSED_SUBJECT = "[LAPOR!] Tanggapan tidak dapat dicatat"
EMAIL_REPLY_REFUSED = (
    "Tanggapan Anda tidak dapat kami catat. Balas dari alamat surel yang Anda pakai saat "
    "melapor, atau tanggapi laporan di halaman lacak dengan nomor pelacakan dan kode rahasia."
)
ASK_WHAT = (
    "LAPOR! Ceritakan lebih lengkap: apa yang terjadi, di mana (kabupaten/kota) dan kapan. "
    "Kirim dalam satu SMS."
)
ASK_WHERE = (
    "LAPOR! Di mana kejadiannya? Balas dengan nama kabupaten/kota, misalnya: Kab. Demak. "
    "Ketik BATAL untuk membatalkan."
)
CANCELLED = "LAPOR! Laporan yang belum terkirim dibatalkan. Kirim cerita baru kapan saja."
NOTHING_TO_CANCEL = "LAPOR! Tidak ada laporan yang sedang disusun."
HELP_ID = (
    "LAPOR! Nomor lacak tidak terbaca. Contoh: LACAK 7KQM-3XPA-R9TC, BALAS 7KQM-3XPA-R9TC isi "
    "tanggapan, NILAI 7KQM-3XPA-R9TC 4"
)
HELP_RATING = "LAPOR! Beri nilai 1 sampai 5, contoh: NILAI {tid} 4"
HELP_TEXT = "LAPOR! Tulis tanggapan Anda setelah nomor lacak, contoh: BALAS {tid} isi tanggapan"
NOT_FOUND = (
    "LAPOR! Laporan {tid} tidak ditemukan atau tidak dapat ditampilkan. Laporan rahasia hanya "
    "dapat dilacak dari nomor pelapor."
)
STATUS = "LAPOR! {tid}: {status}{agency}. {link}"
REPLIED = "LAPOR! Tanggapan Anda untuk {tid} diterima dan diteruskan ke petugas."
RATED = "LAPOR! Terima kasih, nilai {rating} untuk laporan {tid} tercatat."
REFUSED = "LAPOR! {tid}: {reason}"
NOT_REPORTER = (
    "LAPOR! Hanya pelapor yang dapat menanggapi atau menilai {tid}. Kirim dari nomor yang "
    "dipakai saat melapor."
)


def filed(tracking_id: str, secret: str) -> str:
    return FILED.format(tid=display(tracking_id), secret=secret, link=track_link(tracking_id))


def filed_email(report: Report, secret: str) -> str:
    return FILED_EMAIL.format(
        tid=display(report.tracking_id),
        secret=secret,
        link=track_link(report.tracking_id),
        privacy=PRIVACY_SENTENCE[(report.is_anonymous, report.is_confidential)],
    )


WA_ASK_WHAT = (
    "Selamat datang di LAPOR!. Ceritakan apa yang terjadi: apa masalahnya, kapan, dan siapa "
    "yang terlibat. Anda juga dapat mengirim foto.\n\nUntuk melacak laporan, kirim: LACAK "
    "(nomor pelacakan)."
)
WA_PHOTO_FIRST = "Foto diterima. Sekarang ceritakan apa yang terjadi, kapan, dan di mana."
WA_ASK_MORE = "Ceritakan sedikit lebih lengkap (paling sedikit 20 huruf): apa yang terjadi?"
WA_ASK_WHERE = "Di mana kejadiannya? Sebutkan kabupaten/kota, misalnya: Kabupaten Demak."
WA_WHERE_UNKNOWN = (
    "Kami belum mengenali tempat itu. Sebutkan nama kabupaten atau kota, misalnya: Kota Semarang."
)
WA_ASK_PRIVACY = (
    "Lokasi: {region}.\n\nPilih privasi laporan Anda (balas dengan angkanya):\n"
    "1. Rahasia dan anonim: tidak tampil untuk publik, nama Anda disembunyikan (disarankan)\n"
    "2. Publik, anonim: isi laporan tampil untuk publik tanpa nama Anda\n"
    "3. Publik dengan nama"
)
WA_PRIVACY_LABEL = {
    "1": "rahasia dan anonim",
    "2": "publik, anonim",
    "3": "publik dengan nama",
}
WA_ASK_CONFIRM = (
    "Periksa laporan Anda:\n\n{what}\n\nLokasi: {region}\nPrivasi: {privacy}\nLampiran: "
    "{files}\n\nBalas YA untuk mengirim, atau BATAL untuk membatalkan."
)
WA_FILED = (
    "Laporan Anda terkirim.\n\nNomor pelacakan: {tid}\nKode rahasia: {secret}\n\nSimpan "
    "keduanya. Pantau laporan di {link} atau kirim LACAK {tid} ke nomor ini. Kami kabari "
    "setiap perkembangannya di sini."
)
WA_CANCELLED = "Laporan dibatalkan. Kirim pesan kapan saja untuk membuat laporan baru."
WA_FILE_REFUSED = "Lampiran tidak kami simpan: {reason}"
