"""The messages an address gets when someone registers with it (Indonesian, as the other
outgoing messages in ``notifications.texts``)."""

CONFIRM_SUBJECT = "[LAPOR!] Aktifkan akun Anda"
CONFIRM = (
    "Alamat ini dipakai untuk membuat akun LAPOR!. Bila itu Anda, buka tautan berikut lalu "
    "tekan tombol Aktifkan (berlaku 3 hari):\n\n{link}\n\n"
    "Bila Anda tidak merasa mendaftar, abaikan pesan ini: tanpa tautan itu tidak ada akun yang "
    "aktif dengan alamat ini."
)
CONFIRM_SMS = "LAPOR! Aktifkan akun Anda (abaikan bila bukan Anda): {link}"

EXISTS_SUBJECT = "[LAPOR!] Anda sudah punya akun"
EXISTS = (
    "Seseorang, mungkin Anda, mencoba membuat akun LAPOR! baru dengan alamat ini. Alamat ini "
    "sudah punya akun, jadi tidak ada akun baru yang dibuat. Masuk dengan kata sandi akun "
    "Anda di:\n\n{link}\n\n"
    "Bila bukan Anda yang mencoba, abaikan pesan ini: akun Anda tidak berubah."
)
EXISTS_SMS = "LAPOR! Nomor ini sudah punya akun; tidak ada akun baru dibuat. Masuk di: {link}"

RESET_SUBJECT = "[LAPOR!] Atur ulang kata sandi"
RESET = (
    "Seseorang, mungkin Anda, meminta pengaturan ulang kata sandi akun LAPOR! dengan alamat "
    "ini. Bila itu Anda, buka tautan berikut dan pilih kata sandi baru (berlaku 3 hari, sekali "
    "pakai):\n\n{link}\n\n"
    "Bila bukan Anda, abaikan pesan ini: kata sandi Anda tidak berubah."
)
RESET_SMS = "LAPOR! Atur ulang kata sandi (abaikan bila bukan Anda): {link}"
