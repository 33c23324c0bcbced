"""What a regional government looks like: its standard units (perangkat daerah), the topics
each unit handles, and the common short names people use for provinces.

Names follow Permendagri on perangkat daerah; local governments merge or rename offices (e.g.
"Dinas Pendidikan dan Kebudayaan"), which admins fix in the Django admin or by aliases.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE = ("provinsi",)


@dataclass(frozen=True)
class UnitTemplate:
    unit_type: str
    name: str  # followed by the region ("Dinas Kesehatan Kabupaten Demak")
    short: str  # common abbreviation ("Dinkes"); aliases are "<short> <place>"
    topics: tuple[str, ...]  # category codes
    levels: tuple[str, ...] = ("provinsi", "kabupaten_kota")
    # Other names of the province's unit (merged or renamed offices: "Dinas Pendidikan dan
    # Kebudayaan", "Disdikbud"); aliases are "<name> Provinsi <province>" and "<name> <short>".
    province_aliases: tuple[str, ...] = ()


UNITS: tuple[UnitTemplate, ...] = (
    UnitTemplate("dinkes", "Dinas Kesehatan", "Dinkes", ("kesehatan", "mbg-kualitas-makanan")),
    UnitTemplate(
        "pupr",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Dinas PUPR",
        ("infrastruktur", "perizinan-izin-bangunan"),
    ),
    UnitTemplate(
        "disdukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Disdukcapil",
        ("kependudukan",),
        province_aliases=(
            "Dinas Pemberdayaan Masyarakat, Desa, Kependudukan dan Pencatatan Sipil",
            "Dispermades Dukcapil",
            "Dispermadesdukcapil",
            "Dinas Pemberdayaan Masyarakat dan Desa",
            "Dispermades",
        ),
    ),
    UnitTemplate(
        "disdik",
        "Dinas Pendidikan",
        "Disdik",
        ("pendidikan", "mbg-penyaluran"),
        province_aliases=("Dinas Pendidikan dan Kebudayaan", "Disdikbud"),
    ),
    UnitTemplate("dinsos", "Dinas Sosial", "Dinsos", ("bantuan-sosial",)),
    UnitTemplate(
        "dishub",
        "Dinas Perhubungan",
        "Dishub",
        (
            "perhubungan-angkutan-umum",
            "perhubungan-lalu-lintas",
            "perhubungan-parkir",
            "perhubungan-penerangan-jalan",
            "perhubungan-pengujian-kendaraan",
        ),
    ),
    UnitTemplate(
        "dlh",
        "Dinas Lingkungan Hidup",
        "DLH",
        ("lingkungan",),
        province_aliases=("Dinas Lingkungan Hidup dan Kehutanan", "DLHK"),
    ),
    UnitTemplate("satpolpp", "Satuan Polisi Pamong Praja", "Satpol PP", ("ketertiban",)),
    UnitTemplate("rsud", "Rumah Sakit Umum Daerah", "RSUD", ("kesehatan-rumah-sakit",)),
    UnitTemplate(
        "inspektorat",
        "Inspektorat",
        "Inspektorat",
        ("korupsi", "kepegawaian-disiplin-asn", "kepegawaian-netralitas-asn"),
    ),
    UnitTemplate(
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        ("perizinan",),
    ),
    UnitTemplate(
        "disnaker",
        "Dinas Ketenagakerjaan",
        "Disnaker",
        ("ketenagakerjaan",),
        province_aliases=(
            "Dinas Tenaga Kerja dan Transmigrasi",
            "Disnakertrans",
            "Dinas Ketenagakerjaan dan Transmigrasi",
        ),
    ),
    UnitTemplate("bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD", ("bencana",)),
    UnitTemplate("pdam", "Perumda Air Minum", "PDAM", ("air-bersih",), levels=("kabupaten_kota",)),
    # The province's other dinas, badan and biro (Permendagri on perangkat daerah; provinces
    # merge or rename them, hence the aliases of the usual combined names).
    UnitTemplate(
        "pu-binamarga",
        "Dinas Pekerjaan Umum Bina Marga dan Cipta Karya",
        "DPU Binmar Cipka",
        ("infrastruktur",),
        PROVINCE,
        ("DPU Bina Marga Cipta Karya", "Dinas Bina Marga", "DPU BMCK", "DPU Bina Marga"),
    ),
    UnitTemplate(
        "pu-sda",
        "Dinas Pekerjaan Umum Sumber Daya Air dan Penataan Ruang",
        "Pusdataru",
        ("infrastruktur",),
        PROVINCE,
        ("Dinas PU SDA", "Dinas Pengelolaan Sumber Daya Air", "PSDA"),
    ),
    UnitTemplate(
        "perkim",
        "Dinas Perumahan Rakyat dan Kawasan Permukiman",
        "Disperakim",
        (),
        PROVINCE,
        ("Disperkim", "Dinas Perkim"),
    ),
    UnitTemplate(
        "distanbun", "Dinas Pertanian dan Perkebunan", "Distanbun", (), PROVINCE, ("Distan",)
    ),
    UnitTemplate(
        "disnakkeswan",
        "Dinas Peternakan dan Kesehatan Hewan",
        "Disnakkeswan",
        (),
        PROVINCE,
        ("Dinas Peternakan",),
    ),
    UnitTemplate(
        "dkp",
        "Dinas Kelautan dan Perikanan",
        "DKP",
        (),
        PROVINCE,
        ("Dinas Perikanan dan Kelautan", "Diskanla"),
    ),
    UnitTemplate(
        "esdm", "Dinas Energi dan Sumber Daya Mineral", "Dinas ESDM", (), PROVINCE, ("ESDM",)
    ),
    UnitTemplate(
        "dinkop",
        "Dinas Koperasi dan Usaha Kecil dan Menengah",
        "Dinkop UKM",
        (),
        PROVINCE,
        ("Dinas Koperasi dan UMKM", "Dinas Koperasi dan UKM", "Dinkop UMKM"),
    ),
    UnitTemplate(
        "disperindag",
        "Dinas Perindustrian dan Perdagangan",
        "Disperindag",
        (),
        PROVINCE,
    ),
    UnitTemplate(
        "disporapar",
        "Dinas Kepemudaan, Olahraga dan Pariwisata",
        "Disporapar",
        (),
        PROVINCE,
        ("Dinas Pariwisata", "Dispora"),
    ),
    UnitTemplate(
        "diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo", (), PROVINCE, ("Kominfo",)
    ),
    UnitTemplate(
        "arpus",
        "Dinas Kearsipan dan Perpustakaan",
        "Dinarpus",
        (),
        PROVINCE,
        ("Dinas Perpustakaan dan Kearsipan",),
    ),
    UnitTemplate(
        "dp3ak",
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan "
        "Keluarga Berencana",
        "DP3AP2KB",
        (),
        PROVINCE,
        ("DPPPA Dalduk KB", "DP3A", "DP3AKB"),
    ),
    UnitTemplate(
        "bapenda",
        "Badan Pengelola Pendapatan Daerah",
        "Bapenda",
        (),
        PROVINCE,
        ("BPPD", "Badan Pendapatan Daerah", "Samsat"),
    ),
    UnitTemplate("bkd", "Badan Kepegawaian Daerah", "BKD", (), PROVINCE, ("BKPSDMD",)),
    UnitTemplate("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", (), PROVINCE),
    UnitTemplate("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda", (), PROVINCE),
    UnitTemplate("badan-penghubung", "Badan Penghubung", "Badan Penghubung", (), PROVINCE),
    UnitTemplate("rsjd", "Rumah Sakit Jiwa Daerah", "RSJD", ("kesehatan-rumah-sakit",), PROVINCE),
    UnitTemplate("biro-kesra", "Biro Kesejahteraan Rakyat", "Biro Kesra", (), PROVINCE),
    UnitTemplate("biro-umum", "Biro Umum", "Biro Umum", (), PROVINCE),
    UnitTemplate("biro-perekonomian", "Biro Perekonomian", "Biro Perekonomian", (), PROVINCE),
    UnitTemplate(
        "biro-pemerintahan",
        "Biro Pemerintahan, Otonomi Daerah dan Kerja Sama",
        "Biro Pemotda",
        (),
        PROVINCE,
        ("Biro Pemerintahan, Otonomi Daerah dan Kerjasama", "Biro Pemerintahan"),
    ),
    UnitTemplate(
        "biro-infrastruktur",
        "Biro Infrastruktur dan Sumber Daya Alam",
        "Biro Infra SDA",
        (),
        PROVINCE,
        ("Biro Infrastruktur dan SDA",),
    ),
)


@dataclass(frozen=True)
class VerticalOffice:
    """The office every province has of a national agency (Polda, Kanwil BPN, …): a unit of
    that national agency for the province. ``name``/``short``/aliases end with the province
    (``{name}`` the province's name, ``{short}`` its short name)."""

    key: str
    parent: str  # the national agency's code
    name: str
    short: str
    aliases: tuple[str, ...]
    topics: tuple[str, ...] = ()


VERTICAL_OFFICES: tuple[VerticalOffice, ...] = (
    VerticalOffice(
        "polda",
        "polri",
        "Kepolisian Daerah {name}",
        "Polda {short}",
        ("Polda {name}",),
        ("hukum-pelayanan-kepolisian",),
    ),
    VerticalOffice(
        "kanwil",
        "atr-bpn",
        "Kantor Wilayah Badan Pertanahan Nasional Provinsi {name}",
        "Kanwil BPN {short}",
        ("Kanwil BPN Provinsi {name}", "Kanwil ATR/BPN Provinsi {name}"),
        ("pertanahan",),
    ),
    VerticalOffice(
        "kanwil",
        "kemenag",
        "Kantor Wilayah Kementerian Agama Provinsi {name}",
        "Kanwil Kemenag {short}",
        ("Kanwil Kemenag Provinsi {name}",),
        ("agama",),
    ),
    VerticalOffice(
        "kanwil",
        "kemenkum",
        "Kantor Wilayah Kementerian Hukum Provinsi {name}",
        "Kanwil Kemenkum {short}",
        ("Kanwil KemenkumHAM Provinsi {name}", "Kanwil Kemenkumham {short}"),
    ),
    VerticalOffice(
        "kanwil",
        "kemenkeu-djp",
        "Kantor Wilayah Direktorat Jenderal Pajak {name}",
        "Kanwil DJP {short}",
        ("Kanwil Ditjen Pajak {name}", "Kanwil DJP {name}"),
        ("perpajakan-pajak-pusat",),
    ),
    VerticalOffice(
        "provinsi",
        "bawaslu",
        "Badan Pengawas Pemilihan Umum Provinsi {name}",
        "Bawaslu {short}",
        ("Bawaslu Provinsi {name}",),
    ),
)
KECAMATAN_UNIT_TYPE = "kecamatan"
KECAMATAN_TOPICS = ("pelayanan-publik", "kependudukan-pindah-datang")
# The administrative cities of Jakarta have no water company of their own: PAM Jaya serves
# the whole province and hangs under the provincial government.
NO_OWN_WATER_COMPANY = ("31",)


@dataclass(frozen=True)
class ExtraUnit:
    key: str
    unit_type: str
    name: str
    aliases: tuple[str, ...]
    topics: tuple[str, ...]


PROVINCIAL_EXTRAS = {
    "31": [
        ExtraUnit(
            "pam-jaya", "pdam", "Perumda PAM Jaya", ("PAM Jaya", "PDAM Jakarta"), ("air-bersih",)
        )
    ],
    "33": [
        ExtraUnit(
            "pdab",
            "pdam",
            "Perusahaan Daerah Air Bersih Provinsi Jawa Tengah",
            ("PDAB Tirta Utama", "PDAB Jateng", "Perumda Tirta Utama"),
            ("air-bersih",),
        ),
        ExtraUnit(
            "bank-jateng",
            "bumd",
            "PT Bank Pembangunan Daerah Jawa Tengah",
            ("Bank Jateng", "BPD Jateng"),
            (),
        ),
        ExtraUnit(
            "rsud-moewardi",
            "rsud",
            "RSUD Dr. Moewardi Surakarta",
            ("RSUD Moewardi", "RSUD Moewardi Surakarta"),
            ("kesehatan-rumah-sakit",),
        ),
        ExtraUnit(
            "rsud-tugurejo",
            "rsud",
            "RSUD Tugurejo Semarang",
            ("RSUD Tugurejo",),
            ("kesehatan-rumah-sakit",),
        ),
        ExtraUnit(
            "rsjd-amino",
            "rsjd",
            "RSJD Dr. Amino Gondohutomo Semarang",
            ("RSJD Amino Gondohutomo", "RSJD Amino Gondokusumo"),
            ("kesehatan-rumah-sakit",),
        ),
    ],
}

GOVERNMENT_TOPICS = ("pelayanan-publik",)

PROVINCE_SHORT = {
    "11": "Aceh",
    "12": "Sumut",
    "13": "Sumbar",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumsel",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Babel",
    "21": "Kepri",
    "31": "DKI Jakarta",
    "32": "Jabar",
    "33": "Jateng",
    "34": "DIY",
    "35": "Jatim",
    "36": "Banten",
    "51": "Bali",
    "52": "NTB",
    "53": "NTT",
    "61": "Kalbar",
    "62": "Kalteng",
    "63": "Kalsel",
    "64": "Kaltim",
    "65": "Kaltara",
    "71": "Sulut",
    "72": "Sulteng",
    "73": "Sulsel",
    "74": "Sultra",
    "75": "Gorontalo",
    "76": "Sulbar",
    "81": "Maluku",
    "82": "Malut",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}


def place_name(region_name: str) -> str:
    """ "Kabupaten Demak" → "Demak"; "Kota Administrasi Jakarta Utara" → "Jakarta Utara"."""
    for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "):
        if region_name.startswith(prefix):
            return region_name[len(prefix) :]
    return region_name
