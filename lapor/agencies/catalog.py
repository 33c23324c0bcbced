"""What a regional government looks like: its standard units (perangkat daerah), the topics
each unit handles, and the common short names people use for provinces.

Names follow Permendagri on perangkat daerah; local governments merge or rename offices (e.g.
"Dinas Pendidikan dan Kebudayaan"), which admins fix in the Django admin or by aliases.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UnitTemplate:
    unit_type: str
    name: str  # followed by the region ("Dinas Kesehatan Kabupaten Demak")
    short: str  # common abbreviation ("Dinkes"); aliases are "<short> <place>"
    topics: tuple[str, ...]  # category codes
    levels: tuple[str, ...] = ("provinsi", "kabupaten_kota")


UNITS: tuple[UnitTemplate, ...] = (
    UnitTemplate("dinkes", "Dinas Kesehatan", "Dinkes", ("kesehatan", "mbg-kualitas-makanan")),
    UnitTemplate(
        "pupr",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Dinas PUPR",
        ("infrastruktur", "perizinan-izin-bangunan"),
    ),
    UnitTemplate(
        "disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", ("kependudukan",)
    ),
    UnitTemplate("disdik", "Dinas Pendidikan", "Disdik", ("pendidikan", "mbg-penyaluran")),
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
    UnitTemplate("dlh", "Dinas Lingkungan Hidup", "DLH", ("lingkungan",)),
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
    UnitTemplate("disnaker", "Dinas Ketenagakerjaan", "Disnaker", ("ketenagakerjaan",)),
    UnitTemplate("bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD", ("bencana",)),
    UnitTemplate("pdam", "Perumda Air Minum", "PDAM", ("air-bersih",), levels=("kabupaten_kota",)),
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
    ]
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
