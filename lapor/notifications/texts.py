"""What each message says (Bahasa Indonesia), by e-mail and by SMS.

An e-mail tells what happened and what to do next; an SMS says the same in at most 160 plain
characters (one GSM-7 segment: no typographic quotes or ellipsis, which would force the 70-char
Unicode encoding)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from lapor.core.timefmt import format_local
from lapor.reports.lifecycle import Action

SMS_LIMIT = 160
SUBJECT = "[LAPOR!] Kabar laporan {tid}"

# What the reporter (and supporters) hear about, by e-mail.
TELLS_REPORTER: dict[str, str] = {
    Action.SUBMIT: "Laporan Anda {tid} telah kami terima. Simpan nomor pelacakan ini untuk "
    "memantau penanganannya; kami akan mengabari Anda setiap ada perkembangan.",
    Action.DISPOSE: "Laporan {tid} telah diverifikasi dan diteruskan ke {agency}. Instansi "
    "tersebut akan menindaklanjutinya; kami kabari bila ada jawaban.",
    Action.FORWARD: "Laporan {tid} diteruskan ke {agency}, instansi yang berwenang.",
    Action.NOT_AUTHORITY: "Laporan {tid} sedang diverifikasi ulang untuk instansi yang tepat. "
    "Anda tidak perlu mengirim ulang laporan.",
    Action.HOLD: "Penanganan laporan {tid} ditunda: {message}",
    Action.RESUME: "Masa penundaan laporan {tid} telah berakhir; {agency} melanjutkan "
    "penanganannya.",
    Action.REQUEST_INFO: "Instansi meminta klarifikasi atas laporan {tid}: {message}\n\n"
    "Balas melalui halaman laporan Anda; penanganan menunggu jawaban Anda.",
    Action.FOLLOW_UP: "Laporan {tid} mendapat tindak lanjut dari {agency}: {message}\n\n"
    "Bila masalah belum selesai, balas melalui halaman laporan{until}. Tanpa tanggapan, "
    "laporan akan ditutup otomatis.",
    Action.COMPLETE: "Laporan {tid} dinyatakan selesai. Beri penilaian Anda; bila hasilnya "
    "belum memuaskan, Anda dapat mengajukan banding.",
    Action.AUTO_CLOSE: "Laporan {tid} ditutup karena tidak ada tanggapan atas tindak lanjut. "
    "Anda masih dapat memberi penilaian, dan mengajukan banding bila nilainya rendah.",
    Action.ARCHIVE: "Laporan {tid} diarsipkan: {message}",
    Action.MERGE: "Laporan {tid} digabung dengan laporan serupa {into}, yang menangani masalah "
    "yang sama. Selama laporan itu terbuka untuk publik, Anda menerima kabar perkembangannya.",
    Action.REOPEN: "Banding atas laporan {tid} diterima dan diteruskan kembali ke {agency}.",
}

# The same news in one SMS.
TELLS_REPORTER_SMS: dict[str, str] = {
    Action.SUBMIT: "LAPOR! {tid}: laporan Anda diterima. Simpan nomor ini untuk memantau "
    "penanganannya.",
    Action.DISPOSE: "LAPOR! {tid}: diverifikasi dan diteruskan ke {agency}.",
    Action.FORWARD: "LAPOR! {tid}: diteruskan ke {agency}, instansi yang berwenang.",
    Action.NOT_AUTHORITY: "LAPOR! {tid}: diverifikasi ulang untuk instansi yang tepat. "
    "Tidak perlu lapor ulang.",
    Action.HOLD: "LAPOR! {tid}: penanganan ditunda. {message}",
    Action.RESUME: "LAPOR! {tid}: penundaan berakhir, penanganan dilanjutkan.",
    Action.REQUEST_INFO: "LAPOR! {tid}: instansi minta klarifikasi. Balas di halaman "
    "laporan. {message}",
    Action.FOLLOW_UP: "LAPOR! {tid}: ada tindak lanjut dari {agency}. Baca dan balas di "
    "halaman laporan{until}.",
    Action.COMPLETE: "LAPOR! {tid}: laporan selesai. Beri penilaian di halaman laporan.",
    Action.AUTO_CLOSE: "LAPOR! {tid}: ditutup karena tidak ada tanggapan. Anda masih bisa "
    "memberi penilaian.",
    Action.ARCHIVE: "LAPOR! {tid}: diarsipkan. {message}",
    Action.MERGE: "LAPOR! {tid}: digabung dengan laporan serupa {into}. Kabar dikirim selama "
    "laporan itu publik.",
    Action.REOPEN: "LAPOR! {tid}: banding diterima, diteruskan ke {agency}.",
}

# What a supporter hears: the public steps of a report while it is public (the actions in
# ``privacy.SUPPORTER_ACTIONS``), never the reporter's name and never a text the public page does
# not show (only an answer's ``{message}``, which the public page shows too).
TELLS_SUPPORTER: dict[str, str] = {
    Action.DISPOSE: "Laporan {tid} yang Anda dukung telah diverifikasi dan diteruskan ke {agency}.",
    Action.FORWARD: "Laporan {tid} yang Anda dukung diteruskan ke {agency}, instansi yang "
    "berwenang.",
    Action.NOT_AUTHORITY: "Laporan {tid} yang Anda dukung sedang diverifikasi ulang untuk "
    "instansi yang tepat.",
    Action.HOLD: "Penanganan laporan {tid} yang Anda dukung ditunda untuk sementara.",
    Action.RESUME: "Penanganan laporan {tid} yang Anda dukung dilanjutkan oleh {agency}.",
    Action.FOLLOW_UP: "Laporan {tid} yang Anda dukung mendapat tindak lanjut dari {agency}: "
    "{message}",
    Action.COMPLETE: "Laporan {tid} yang Anda dukung dinyatakan selesai.",
    Action.AUTO_CLOSE: "Laporan {tid} yang Anda dukung ditutup setelah tindak lanjut.",
    Action.ARCHIVE: "Laporan {tid} yang Anda dukung diarsipkan.",
    Action.REOPEN: "Laporan {tid} yang Anda dukung dibuka kembali dan diteruskan ke {agency}.",
}
TELLS_SUPPORTER_SMS: dict[str, str] = {
    Action.DISPOSE: "LAPOR! {tid} yang Anda dukung: diverifikasi dan diteruskan ke {agency}.",
    Action.FORWARD: "LAPOR! {tid} yang Anda dukung: diteruskan ke {agency}.",
    Action.NOT_AUTHORITY: "LAPOR! {tid} yang Anda dukung: diverifikasi ulang untuk instansi "
    "yang tepat.",
    Action.HOLD: "LAPOR! {tid} yang Anda dukung: penanganan ditunda sementara.",
    Action.RESUME: "LAPOR! {tid} yang Anda dukung: penanganan dilanjutkan.",
    Action.FOLLOW_UP: "LAPOR! {tid} yang Anda dukung: ada tindak lanjut dari {agency}.",
    Action.COMPLETE: "LAPOR! {tid} yang Anda dukung: laporan selesai.",
    Action.AUTO_CLOSE: "LAPOR! {tid} yang Anda dukung: ditutup setelah tindak lanjut.",
    Action.ARCHIVE: "LAPOR! {tid} yang Anda dukung: diarsipkan.",
    Action.REOPEN: "LAPOR! {tid} yang Anda dukung: dibuka kembali, diteruskan ke {agency}.",
}

# Double opt-in: the one message an unconfirmed supporter's address receives. It names neither
# the reporter nor anything the public page does not show.
SUPPORT_CONFIRM_SUBJECT = "[LAPOR!] Konfirmasi dukungan laporan {tid}"
SUPPORT_CONFIRM = (
    "Alamat ini didaftarkan untuk mendukung laporan {tid} di LAPOR! dan menerima kabar "
    "penanganannya. Bila itu Anda, buka tautan berikut lalu tekan tombol Konfirmasi:\n\n{link}\n\n"
    "Bila Anda tidak merasa mendaftar, abaikan pesan ini: alamat ini tidak akan menerima kabar "
    "apa pun."
)
SUPPORT_CONFIRM_SMS = "LAPOR! Konfirmasi dukungan laporan {tid}, abaikan bila bukan Anda: {link}"

# Every change of a report's protection is told to its reporter, whoever made it.
PRIVACY_SUBJECT = "[LAPOR!] Privasi laporan {tid} diubah"
PRIVACY_STATE: dict[tuple[bool, bool], str] = {  # (anonim, rahasia)
    (True, True): "anonim dan rahasia: laporan tidak tampil untuk publik, dan identitas Anda "
    "tidak terlihat oleh publik maupun instansi",
    (True, False): "anonim: isi laporan dapat dibaca publik, tetapi identitas Anda tidak "
    "terlihat oleh publik maupun instansi",
    (False, True): "rahasia: laporan tidak tampil untuk publik; instansi yang menangani dapat "
    "melihat nama dan kontak Anda",
    (False, False): "terbuka: isi laporan dan nama Anda dapat dibaca publik",
}
PRIVACY_STATE_SMS: dict[tuple[bool, bool], str] = {
    (True, True): "anonim dan rahasia",
    (True, False): "anonim",
    (False, True): "rahasia",
    (False, False): "terbuka untuk publik",
}
PRIVACY_BY_OFFICER = (
    "Petugas menambah perlindungan pada laporan {tid}. Laporan Anda kini {state}.\n\n"
    "Perlindungan ini menjaga Anda. Bila Anda ingin melepasnya, buka halaman laporan Anda "
    "(dengan akun atau kode rahasia) dan berikan persetujuan di bagian Privasi."
)
PRIVACY_BY_REPORTER = (
    "Atas persetujuan Anda, pengaturan privasi laporan {tid} diubah. Laporan Anda kini "
    "{state}.\n\nBila bukan Anda yang mengubahnya, segera buka halaman laporan Anda (dengan "
    "akun atau kode rahasia) dan pasang kembali perlindungannya."
)
PRIVACY_BY_OFFICER_SMS = (
    "LAPOR! {tid}: petugas menambah perlindungan, kini {state}. Hanya Anda yang dapat "
    "melepasnya, di halaman laporan."
)
PRIVACY_BY_REPORTER_SMS = (
    "LAPOR! {tid}: privasi diubah atas persetujuan Anda, kini {state}. Bukan Anda? Pasang "
    "lagi di halaman laporan."
)

# Officers: one digest per recipient and sweep chunk, not one message per report.
OFFICER_SUBJECT: dict[str, str] = {
    Action.MARK_OVERDUE: "[LAPOR!] {count} laporan melewati batas waktu",
    Action.ESCALATE: "[LAPOR!] Eskalasi: {count} laporan terlambat ditangani",
}
OFFICER_INTRO: dict[str, str] = {
    Action.MARK_OVERDUE: "{count} laporan di {agency} melewati batas waktu penanganan. "
    "Segera verifikasi, disposisikan atau tindak lanjuti; bila perlu waktu, tunda dengan "
    "alasan yang dapat dibaca pelapor. Tanpa tindakan, laporan dieskalasi ke admin nasional.",
    Action.ESCALATE: "{count} laporan masih terlambat setelah batas eskalasi dan kini "
    "menjadi perhatian admin nasional. Hubungi instansi penanggung jawab atau disposisikan "
    "ulang laporan berikut.",
}
OFFICER_SMS: dict[str, str] = {
    Action.MARK_OVERDUE: "LAPOR!: {count} laporan di {agency} lewat batas waktu. Segera "
    "tindak lanjuti di aplikasi petugas LAPOR!.",
    Action.ESCALATE: "LAPOR!: {count} laporan dieskalasi ke admin nasional karena terlambat. "
    "Periksa antrean eskalasi.",
}
DIGEST_LINES = 50
_PLAIN = str.maketrans(
    {
        "\u2026": "...",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00b7": "-",
    }
)


def fit_sms(text: str, limit: int = SMS_LIMIT) -> str:
    """One SMS: whitespace collapsed, plain characters, at most ``limit`` characters."""
    plain = " ".join(text.split())
    plain = plain.translate(_PLAIN)
    if len(plain) <= limit:
        return plain
    return plain[: limit - 3].rstrip() + "..."


def local_time(moment: datetime, zone: str) -> str:
    """``17 Maret 2026 23.59 WIB``: a time written as the pages write it, in the office's zone."""
    return format_local(moment, zone)


# Every e-mail about a report ends with its address (the track page: it shows anyone holding
# the tracking ID what they may see). A supporter is told why they hear of it, and that an
# answer to the e-mail reaches nobody: only the reporter can reply, on the report's page.
REPORTER_FOOTER = "\n\nLihat laporan dan riwayatnya: {link}"
SUPPORTER_FOOTER = (
    "\n\nLihat laporan: {link}\n\nAnda menerima kabar ini karena mendukung laporan tersebut. "
    "Pesan ini tidak perlu dibalas: balasan tidak diteruskan ke petugas. Untuk masalah Anda "
    "sendiri, buat laporan baru."
)


def report_link(tracking_id: str) -> str:
    """The track page of a report, on the address the public reaches the site by."""
    return f"{settings.LAPOR_PUBLIC_URL}/lacak/{tracking_id}/"


def with_footer(body: str, tracking_id: str, *, supporter: bool = False) -> str:
    footer = SUPPORTER_FOOTER if supporter else REPORTER_FOOTER
    return body + footer.format(link=report_link(tracking_id))


def short_agency(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 3].rstrip() + "..."
