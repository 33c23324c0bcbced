"""Cold-start routing: topic lexicons and jurisdiction rules (topic x region level → agency).

Works before any training data exists. Each topic names the words that signal it, the
category it belongs to, and who acts on it: a unit of the kabupaten/kota or province
government (``unit_type``, at ``level``), or one national agency (``agency``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

KABKOTA = "kabupaten_kota"
PROVINSI = "provinsi"


@dataclass(frozen=True)
class Topic:
    key: str
    category: str  # category code (main or sub)
    words: tuple[str, ...]  # normalised phrases; each hit counts once
    unit_type: str = ""  # regional unit that acts ("" = the government itself)
    level: str = KABKOTA
    agency: str = ""  # a national agency code instead of a regional unit
    weight: float = 1.0


TOPICS: tuple[Topic, ...] = (
    Topic(
        "kependudukan",
        "kependudukan",
        (
            "ktp",
            "kk",
            "kartu keluarga",
            "akta kelahiran",
            "akta kematian",
            "akta",
            "dukcapil",
            "disdukcapil",
            "capil",
            "kependudukan",
            "nik",
            "surat pindah",
            "kia",
            "blanko",
            "rekam",
        ),
        unit_type="disdukcapil",
    ),
    Topic("jalan-tol", "infrastruktur-jalan", ("jalan tol", "tol"), agency="kemenpu", weight=1.3),
    Topic(
        "jalan-nasional",
        "infrastruktur-jalan",
        ("jalan nasional", "jalur pantura", "pantura", "jalan negara"),
        agency="kemenpu",
        weight=1.5,
    ),
    Topic(
        "jalan-provinsi",
        "infrastruktur-jalan",
        ("jalan provinsi", "ruas provinsi"),
        unit_type="pupr",
        level=PROVINSI,
        weight=1.5,
    ),
    Topic(
        "jalan",
        "infrastruktur-jalan",
        (
            "jalan rusak",
            "jalan desa",
            "jalan kabupaten",
            "jalan berlubang",
            "berlubang",
            "lubang",
            "aspal",
            "jembatan",
            "drainase",
            "gorong gorong",
            "saluran air",
            "jalan",
            "talud",
            "betonisasi",
        ),
        unit_type="pupr",
    ),
    Topic(
        "bpjs-kesehatan",
        "kesehatan-jkn",
        ("bpjs kesehatan", "bpjs", "jkn", "kis", "kartu indonesia sehat", "iuran bpjs", "jkn kis"),
        agency="bpjs-kesehatan",
        weight=1.3,
    ),
    Topic(
        "bpjs-ketenagakerjaan",
        "ketenagakerjaan-jaminan-sosial",
        ("bpjs ketenagakerjaan", "bpjs tk", "jamsostek", "bpjamsostek", "jht"),
        agency="bpjs-ketenagakerjaan",
        weight=1.6,
    ),
    Topic(
        "listrik",
        "energi-listrik-padam",
        (
            "listrik",
            "pln",
            "padam",
            "mati lampu",
            "token",
            "meteran",
            "tiang listrik",
            "kabel listrik",
            "daya",
        ),
        agency="pln",
    ),
    Topic(
        "sekolah",
        "pendidikan",
        (
            "sekolah",
            "ppdb",
            "spmb",
            "zonasi",
            "guru",
            "siswa",
            "murid",
            "sd",
            "smp",
            "sdn",
            "smpn",
            "pungutan sekolah",
            "ijazah",
            "pip",
            "kip",
        ),
        unit_type="disdik",
    ),
    Topic(
        "sekolah-menengah",
        "pendidikan",
        ("sma", "smk", "sman", "smkn", "sma negeri", "smk negeri"),
        unit_type="disdik",
        level=PROVINSI,
        weight=1.2,
    ),
    Topic(
        "kesehatan",
        "kesehatan",
        ("puskesmas", "posyandu", "dinkes", "dokter", "bidan", "stunting", "imunisasi", "obat"),
        unit_type="dinkes",
    ),
    Topic(
        "rumah-sakit",
        "kesehatan-rumah-sakit",
        ("rumah sakit", "rsud", "igd", "rawat inap"),
        unit_type="rsud",
    ),
    Topic(
        "bansos",
        "bantuan-sosial",
        ("bansos", "pkh", "bpnt", "dtks", "bantuan sosial", "raskin", "rastra", "sembako", "blt"),
        unit_type="dinsos",
    ),
    Topic(
        "lingkungan",
        "lingkungan",
        ("sampah", "limbah", "pencemaran", "bau", "polusi", "tpa", "asap pabrik"),
        unit_type="dlh",
    ),
    Topic("air", "air-bersih", ("pdam", "air bersih", "air mati", "air pdam"), unit_type="pdam"),
    Topic(
        "perhubungan",
        "perhubungan-lalu-lintas",
        ("parkir", "angkot", "angkutan umum", "lampu jalan", "pju", "lampu merah", "terminal"),
        unit_type="dishub",
    ),
    Topic(
        "ketertiban",
        "ketertiban",
        ("pkl", "pedagang kaki lima", "satpol", "karaoke", "miras", "bangunan liar", "judi"),
        unit_type="satpolpp",
    ),
    Topic(
        "perizinan",
        "perizinan",
        ("izin", "imb", "pbg", "perizinan", "oss", "siup"),
        unit_type="dpmptsp",
    ),
    Topic(
        "bencana",
        "bencana",
        ("banjir", "longsor", "tanah longsor", "bencana", "rob", "kebakaran"),
        unit_type="bpbd",
    ),
    Topic(
        "ketenagakerjaan",
        "ketenagakerjaan",
        ("phk", "upah", "umr", "umk", "pesangon", "gaji karyawan", "buruh", "tenaga kerja"),
        unit_type="disnaker",
    ),
    Topic(
        "pungli",
        "korupsi",
        ("pungli", "pungutan liar", "korupsi", "suap", "gratifikasi"),
        unit_type="inspektorat",
    ),
)
_PATTERNS = {t.key: [(w, re.compile(rf"\b{re.escape(w)}\b")) for w in t.words] for t in TOPICS}


# Words that signal a topic only weakly on their own (an address names a "jalan").
WEAK_WORDS = frozenset(
    {"jalan", "rekam", "blanko", "akta", "daya", "token", "bau", "izin", "obat", "sd", "smp"}
    | {"kis", "rob", "tol", "lubang", "nik", "kia", "kk", "pip", "kip", "meteran", "terminal"}
)


@dataclass(frozen=True)
class TopicHit:
    topic: Topic
    score: float
    words: tuple[str, ...]


def topics_in(normalised: str) -> list[TopicHit]:
    """Topics whose words occur in the normalised text, strongest first.

    A word inside a longer matched phrase of the same topic is not counted twice, and a
    specific topic ("jalan nasional") hides the general one ("jalan")."""
    hits: list[TopicHit] = []
    for topic in TOPICS:
        words: list[str] = []
        for word, pattern in _PATTERNS[topic.key]:
            if pattern.search(normalised) and not any(word in longer for longer in words):
                words.append(word)
        if words:
            score = sum(0.4 if w in WEAK_WORDS else 1.0 for w in words)
            hits.append(TopicHit(topic, topic.weight * score, tuple(words)))
    keys = {h.topic.key for h in hits}
    hidden = set()
    if keys & {"jalan-tol", "jalan-nasional", "jalan-provinsi"}:
        hidden.add("jalan")
    if "bpjs-ketenagakerjaan" in keys:
        hidden.add("bpjs-kesehatan")
    if "sekolah-menengah" in keys:
        hidden.add("sekolah")
    hits = [h for h in hits if h.topic.key not in hidden]
    return sorted(hits, key=lambda h: -h.score)
