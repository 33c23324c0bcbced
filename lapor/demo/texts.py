"""Demo texts: what citizens write (informal) and what officers answer (formal), per topic.

Each topic names the category words and unit types it is routed by, so the demo follows
whatever taxonomy and agency tree ``lapor reference load`` installed. Placeholders: {desa},
{kec}, {jalan}, {wilayah}, {n} (a small number), {instansi}.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from lapor.demo import places

T = TypeVar("T")


@dataclass(frozen=True)
class Topic:
    key: str
    category_words: tuple[str, ...]
    unit_types: tuple[str, ...]
    titles: tuple[str, ...]
    bodies: tuple[str, ...]
    answers: tuple[str, ...]
    national_words: tuple[str, ...] = ()  # a national agency that handles part of it
    weight: int = 10
    types: tuple[str, ...] = field(default=("pengaduan",))


TOPICS = [
    Topic(
        "jalan",
        ("jalan", "infrastruktur", "pekerjaan umum"),
        ("pupr", "dpupr", "binamarga"),
        (
            "Jalan rusak parah di Desa {desa}",
            "Mohon perbaikan jalan {jalan}",
            "Jalan berlubang membahayakan pengendara",
            "Jembatan di Kec. {kec} retak",
        ),
        (
            "Mohon perbaikan jalan di Desa {desa} Kecamatan {kec}, sudah {n} bulan rusak parah. "
            "Kalau hujan jadi kubangan, sudah banyak motor yang jatuh pak.",
            "selamat siang, jalan {jalan} dekat pasar lubangnya makin besar. anak sekolah tiap "
            "pagi lewat situ, tolong segera ditambal sebelum ada korban",
            "Jembatan penghubung Desa {desa} dengan kecamatan {kec} sudah retak dan goyang kalau "
            "dilewati truk. Warga khawatir ambruk. Mohon dicek dinas terkait.",
            "Jalan kabupaten di wilayah {wilayah} ruas Desa {desa} belum pernah diaspal ulang "
            "sejak {n} tahun lalu. Debu kalau kemarau, becek kalau hujan. Kami mohon perhatiannya.",
        ),
        (
            "Terima kasih atas laporan Saudara. Tim Bidang Bina Marga telah meninjau lokasi pada "
            "{tanggal} dan perbaikan tambal sulam dijadwalkan dalam dua minggu ke depan. Mohon "
            "berhati-hati saat melintas.",
            "Laporan Saudara telah kami tindak lanjuti. Ruas jalan dimaksud sudah masuk usulan "
            "rehabilitasi tahun anggaran berikutnya; sementara itu lubang telah ditutup dengan "
            "material sirtu oleh UPT Jalan dan Jembatan.",
        ),
        types=("pengaduan", "pengaduan", "aspirasi"),
        weight=18,
    ),
    Topic(
        "air",
        ("air", "pdam", "air minum"),
        ("pdam", "perumda", "pupr"),
        (
            "Air PDAM mati sudah {n} hari",
            "Air keruh dan berbau di {desa}",
            "Tagihan air naik tidak wajar",
        ),
        (
            "Air PDAM di perumahan kami Desa {desa} mati sudah {n} hari, tidak ada "
            "pemberitahuan sama sekali. Warga terpaksa beli air galon untuk mandi.",
            "air dari PDAM keruh kecoklatan dan bau kaporit kuat, sudah seminggu. "
            "apakah aman dipakai? mohon penjelasan",
            "Tagihan air bulan ini naik hampir tiga kali lipat padahal pemakaian biasa saja. "
            "Sudah lapor ke kantor cabang tapi disuruh menunggu terus.",
        ),
        (
            "Terima kasih atas laporannya. Gangguan disebabkan perbaikan pipa transmisi di "
            "{jalan}. Aliran telah normal kembali; apabila masih terdapat kendala, mohon "
            "menghubungi layanan pelanggan dengan menyebutkan nomor laporan ini.",
            "Petugas kami telah memeriksa meter air Saudara dan menemukan kebocoran setelah meter. "
            "Tagihan telah dikoreksi sesuai rata-rata pemakaian tiga bulan terakhir.",
        ),
        weight=8,
    ),
    Topic(
        "sampah",
        ("sampah", "lingkungan", "kebersihan"),
        ("dlh", "lingkunganhidup"),
        (
            "Sampah menumpuk di {jalan}",
            "Truk sampah tidak datang {n} minggu",
            "Pembuangan sampah liar di sungai",
        ),
        (
            "Sampah di TPS dekat {jalan} sudah menumpuk dan bau menyengat, truk pengangkut tidak "
            "datang {n} minggu. Banyak lalat, anak-anak mulai sakit perut.",
            "ada yang buang sampah sembarangan ke sungai di Desa {desa} tiap malam. "
            "tolong dipasang papan larangan dan diawasi",
            "Asap pembakaran sampah dari lahan kosong di Kec. {kec} masuk ke rumah warga tiap "
            "sore. Mohon ditertibkan.",
        ),
        (
            "Terima kasih. Armada pengangkut telah dijadwalkan ulang dan sampah di lokasi telah "
            "diangkut. Kami juga berkoordinasi dengan pemerintah desa untuk jadwal rutin dua kali "
            "seminggu.",
            "Dinas Lingkungan Hidup telah memasang papan larangan dan melakukan patroli bersama "
            "Satpol PP. Pelanggaran berikutnya akan dikenai sanksi sesuai peraturan daerah.",
        ),
        weight=9,
    ),
    Topic(
        "kesehatan",
        ("kesehatan", "puskesmas", "rumah sakit"),
        ("dinkes", "rsud", "puskesmas"),
        ("Pelayanan puskesmas lambat", "Pasien BPJS ditolak RSUD", "Obat di puskesmas kosong"),
        (
            "Saya antre di puskesmas Kec. {kec} dari jam 7 pagi, baru dipanggil jam 12. "
            "Petugas pendaftaran cuma satu. Mohon ditambah petugasnya.",
            "Bapak saya pasien BPJS disuruh pulang dari RSUD dengan alasan kamar penuh, padahal "
            "kondisinya sesak napas. Tolong ditinjau pelayanannya.",
            "obat hipertensi di puskesmas kosong sudah {n} bulan, kami disuruh beli sendiri di "
            "apotek. bagaimana ini pak?",
        ),
        (
            "Terima kasih atas masukan Saudara. Kepala Puskesmas telah menambah satu petugas "
            "pendaftaran dan membuka pendaftaran daring mulai bulan ini untuk mengurangi antrean.",
            "Kami mohon maaf atas ketidaknyamanan yang terjadi. Manajemen RSUD telah melakukan "
            "klarifikasi kepada petugas jaga dan memastikan pasien gawat darurat tetap dilayani "
            "tanpa memandang ketersediaan kamar rawat inap.",
        ),
        national_words=("BPJS Kesehatan",),
        weight=10,
    ),
    Topic(
        "adminduk",
        ("kependudukan", "ktp", "catatan sipil", "administrasi"),
        ("disdukcapil",),
        (
            "KTP elektronik belum jadi {n} bulan",
            "Akta kelahiran lama selesai",
            "Blangko KTP kosong di kecamatan",
        ),
        (
            "Saya rekam e-KTP di kantor Kecamatan {kec} sejak {n} bulan lalu tapi sampai "
            "sekarang belum jadi, katanya blangko habis. Padahal perlu buat melamar kerja.",
            "Urus akta kelahiran anak sudah lengkap berkasnya tapi disuruh bolak balik terus. "
            "Mohon kejelasan berapa lama prosesnya.",
            "pak, KK saya salah tulis tanggal lahir, sudah ajukan perbaikan {n} minggu belum ada "
            "kabar. mohon dibantu",
        ),
        (
            "Terima kasih. e-KTP Saudara telah selesai dicetak dan dapat diambil di kantor "
            "Disdukcapil dengan membawa bukti perekaman. Layanan buka Senin-Jumat pukul "
            "08.00-15.00.",
            "Perbaikan data Kartu Keluarga Saudara telah kami proses. Dokumen dapat diunduh "
            "melalui aplikasi layanan kependudukan atau diambil di kantor kecamatan.",
        ),
        types=("pengaduan", "informasi"),
        weight=10,
    ),
    Topic(
        "pendidikan",
        ("pendidikan", "sekolah"),
        ("disdik", "disdikbud", "pendidikan"),
        ("Pungutan di sekolah negeri", "Masalah zonasi PPDB", "Gedung SD rusak"),
        (
            "Anak saya di SD negeri di Desa {desa} diminta bayar uang gedung Rp{n}00.000, "
            "katanya sudah kesepakatan komite. Bukannya sekolah negeri gratis?",
            "Rumah kami jaraknya dekat sekali dengan SMP negeri tapi anak saya tidak lolos "
            "zonasi, yang jauh malah diterima. Mohon transparansi data PPDB.",
            "Atap ruang kelas SD di Kec. {kec} sudah bocor dan sebagian plafon jatuh. "
            "Murid belajar di teras. Tolong segera diperbaiki",
        ),
        (
            "Dinas Pendidikan telah memanggil kepala sekolah dan komite. Pungutan dimaksud "
            "dihentikan dan dana yang telah dibayarkan akan dikembalikan kepada orang tua murid.",
            "Rehabilitasi ruang kelas telah dianggarkan melalui Dana Alokasi Khusus dan "
            "pekerjaan dimulai bulan depan. Sementara itu kegiatan belajar dipindahkan ke "
            "ruang perpustakaan.",
        ),
        types=("pengaduan", "aspirasi", "informasi"),
        weight=9,
    ),
    Topic(
        "bansos",
        ("sosial", "bansos", "bantuan"),
        ("dinsos", "sosial"),
        ("Bansos tidak tepat sasaran", "Nama hilang dari daftar PKH", "BLT belum cair"),
        (
            "Di Desa {desa} banyak warga mampu yang dapat bansos, sedangkan janda-janda tua "
            "malah tidak dapat. Mohon data penerima diperiksa ulang.",
            "nama ibu saya tiba-tiba hilang dari daftar PKH, padahal kondisi masih sama. "
            "sudah tanya ke desa katanya urusan dinas",
            "BLT untuk warga RT 03 Desa {desa} belum cair padahal desa lain sudah. "
            "Mohon informasinya kapan.",
        ),
        (
            "Terima kasih. Data penerima di desa tersebut telah diverifikasi ulang bersama "
            "pendamping sosial; dua keluarga yang tidak memenuhi kriteria dikeluarkan dan "
            "usulan penerima baru telah dimasukkan ke DTKS.",
            "Ibu Saudara masih tercatat di DTKS. Penyaluran tahap ini tertunda karena "
            "pemadanan NIK; bantuan akan diterima pada tahap berikutnya.",
        ),
        weight=8,
    ),
    Topic(
        "perhubungan",
        ("perhubungan", "transportasi", "lalu lintas", "parkir"),
        ("dishub",),
        ("Lampu lalu lintas mati", "Parkir liar di {jalan}", "Lampu jalan padam"),
        (
            "Lampu merah di perempatan {jalan} mati sudah {n} hari, tiap pagi macet dan "
            "hampir tabrakan. Mohon segera diperbaiki.",
            "juru parkir liar di depan minimarket {jalan} minta Rp5.000, padahal tidak ada "
            "karcis. tolong ditertibkan",
            "Lampu penerangan jalan di Desa {desa} padam semua, jalan gelap dan rawan begal.",
        ),
        (
            "Terima kasih. Petugas telah mengganti modul lampu APILL di persimpangan tersebut "
            "dan lampu telah berfungsi normal.",
            "Dinas Perhubungan bersama Satpol PP telah menertibkan juru parkir liar di lokasi. "
            "Masyarakat dapat melapor kembali bila masih ditemukan pungutan tanpa karcis.",
        ),
        weight=7,
    ),
    Topic(
        "perizinan",
        ("perizinan", "izin", "investasi"),
        ("dpmptsp", "perizinan"),
        ("Izin usaha tidak kunjung terbit", "Informasi syarat PBG"),
        (
            "Saya ajukan izin usaha mikro lewat OSS sejak {n} minggu lalu, statusnya masih "
            "verifikasi terus. Mohon dibantu.",
            "Mohon informasi persyaratan dan biaya mengurus Persetujuan Bangunan Gedung untuk "
            "rumah tinggal di Kec. {kec}.",
        ),
        (
            "Permohonan Saudara telah diverifikasi dan izin telah terbit. Dokumen dapat diunduh "
            "melalui akun OSS Saudara.",
            "Persyaratan PBG rumah tinggal: gambar rencana, bukti kepemilikan tanah dan KTP. "
            "Retribusi dihitung berdasarkan luas bangunan sesuai peraturan daerah.",
        ),
        types=("pengaduan", "informasi"),
        weight=5,
    ),
    Topic(
        "banjir",
        ("banjir", "drainase", "bencana"),
        ("bpbd", "pupr", "dpupr"),
        ("Banjir tiap hujan di {desa}", "Saluran drainase tersumbat"),
        (
            "Setiap hujan deras Desa {desa} banjir setinggi lutut karena gorong-gorong di "
            "{jalan} tersumbat. Sudah {n} tahun begini.",
            "Tanggul sungai di Kec. {kec} jebol sepanjang kurang lebih 10 meter, mohon segera "
            "ditangani sebelum musim hujan",
        ),
        (
            "Terima kasih. Tim telah melakukan normalisasi saluran dan pembersihan "
            "gorong-gorong di lokasi. Pembangunan saluran baru diusulkan pada tahun anggaran "
            "mendatang.",
            "BPBD telah memasang karung pasir darurat pada tanggul yang jebol dan perbaikan "
            "permanen sedang dikoordinasikan dengan BBWS.",
        ),
        weight=6,
    ),
    Topic(
        "listrik",
        ("listrik", "energi", "ketenagalistrikan"),
        (),
        ("Listrik sering padam di {desa}", "Tiang listrik miring"),
        (
            "Listrik di Desa {desa} padam hampir tiap malam, sudah {n} minggu. Alat elektronik "
            "warga banyak yang rusak.",
            "tiang listrik di {jalan} miring hampir roboh, kabelnya menjuntai rendah. bahaya",
        ),
        (
            "Terima kasih. Petugas telah mengganti trafo yang kelebihan beban di wilayah "
            "tersebut dan pasokan listrik telah stabil.",
            "Tiang listrik di lokasi telah ditegakkan kembali dan kabel dirapikan oleh tim "
            "pemeliharaan jaringan.",
        ),
        national_words=("PLN", "Listrik Negara"),
        weight=5,
    ),
    Topic(
        "pelayanan",
        ("pelayanan publik", "aparatur", "pungutan liar", "korupsi", "kepegawaian"),
        ("kecamatan", "inspektorat", "bkpsdm"),
        ("Pungli di kantor desa", "Pegawai kelurahan tidak ada di tempat"),
        (
            "Urus surat pengantar di kantor Desa {desa} dimintai uang Rp50.000 tanpa kuitansi. "
            "Mohon ditindak.",
            "jam 10 pagi kantor kelurahan masih tutup, pegawainya belum datang. ini sudah "
            "sering terjadi pak",
        ),
        (
            "Inspektorat telah melakukan klarifikasi kepada aparatur yang bersangkutan dan "
            "memberikan pembinaan. Pelayanan surat pengantar tidak dipungut biaya.",
            "Camat telah menerbitkan surat teguran kepada pegawai yang bersangkutan dan "
            "memberlakukan absensi elektronik mulai minggu ini.",
        ),
        weight=5,
    ),
]

QUESTIONS = (
    "Mohon dilengkapi lokasi tepatnya (nama jalan, RT/RW atau patokan terdekat) agar petugas "
    "dapat melakukan peninjauan.",
    "Mohon lampirkan foto kondisi terkini serta waktu kejadian agar laporan dapat kami "
    "tindak lanjuti.",
    "Mohon sampaikan nomor NIK atau nomor registrasi layanan yang Saudara maksud.",
)
CLARIFICATIONS = (
    "lokasinya di depan masjid {desa}, RT 02 RW 05, dekat warung bu Sri",
    "sudah saya foto pak, kejadiannya tiap hari sekitar jam 6 pagi",
    "nomor registrasinya sudah saya kirim lewat email, mohon dicek",
)
REPLIES_UNHAPPY = (
    "Maaf pak, sampai hari ini belum ada perbaikan sama sekali di lokasi. Mohon dicek lagi.",
    "jawabannya tidak sesuai, masalahnya masih sama. tolong ditinjau langsung ke lapangan",
)
HOLD_REASONS = (
    "Menunggu hasil survei lapangan oleh tim teknis yang dijadwalkan pada pekan depan.",
    "Menunggu ketersediaan anggaran perubahan untuk pekerjaan perbaikan.",
    "Menunggu koordinasi dengan instansi vertikal terkait kewenangan lokasi.",
)
ARCHIVE_REASONS = (
    "Laporan tidak memuat informasi yang cukup dan pelapor tidak menanggapi permintaan "
    "klarifikasi. Silakan kirim laporan baru dengan lokasi dan waktu kejadian.",
    "Isi laporan bukan pengaduan pelayanan publik (berisi promosi). Laporan diarsipkan.",
    "Laporan sama dengan laporan yang telah selesai ditindaklanjuti sebelumnya.",
)
NOT_AUTHORITY = (
    "Lokasi yang dilaporkan merupakan jalan nasional, bukan kewenangan pemerintah kabupaten. "
    "Mohon didisposisikan ke Balai Pelaksanaan Jalan Nasional.",
    "Permasalahan ini menjadi kewenangan pemerintah provinsi sesuai pembagian urusan.",
)
GOOD_COMMENTS = (
    "Terima kasih, sudah diperbaiki dengan cepat.",
    "mantap, responnya cepat",
    "Sudah beres, terima kasih LAPOR!",
    "",
)
POOR_COMMENTS = (
    "Belum ada perubahan di lapangan, hanya dijawab di atas kertas.",
    "jawaban template, masalah tidak selesai",
)
APPEALS = (
    "Saya mengajukan banding: perbaikan yang dijanjikan tidak pernah dikerjakan, kondisi di "
    "lokasi masih sama seperti saat laporan dikirim.",
)
MERGE_NOTE = "Laporan serupa dengan lokasi dan masalah yang sama; digabung agar ditangani sekali."


def words(text: str) -> set[str]:
    """The meaningful words of a text (placeholders and short words left out)."""
    cleaned = re.sub(r"\{[a-z]+\}|[^\w\s]", " ", text.lower())
    return {w for w in cleaned.split() if len(w) >= 4 and w not in COMMON}


# Words every complaint uses: they say nothing about which problem it is.
COMMON = frozenset(
    {"mohon", "sudah", "tidak", "kami", "warga", "dari", "yang", "untuk", "dengan", "desa"}
    | {"kecamatan", "tolong", "segera", "sejak", "hari", "bulan", "tahun", "masih", "sama"}
)


def best_match(text: str, options: Sequence[T], label: Callable[[T], str], rng: random.Random) -> T:
    """The option sharing the most words with ``text`` (a random one among equals)."""
    wanted = words(text)
    scored = [(len(wanted & words(label(o))), o) for o in options]
    top = max(score for score, _ in scored)
    return rng.choice([o for score, o in scored if score == top])


def fill(
    template: str,
    rng: random.Random,
    *,
    wilayah: str,
    instansi: str = "",
    tanggal: str = "",
    kecamatan: Sequence[str] = (),
) -> str:
    """The template with its places: a kecamatan of the report's own kabupaten/kota when the
    reference data has them (never one from another island), else the region's name."""
    return template.format(
        desa=rng.choice(places.VILLAGES),
        kec=rng.choice(kecamatan) if kecamatan else re.sub(r"^(Kabupaten|Kota) ", "", wilayah),
        jalan=rng.choice(places.STREETS),
        wilayah=wilayah,
        n=rng.randint(2, 6),
        instansi=instansi,
        tanggal=tanggal,
    )
