"""Indonesian complaint text, normalised for rules and the classifier.

Citizens write as they text: "yg", "tdk", "gk", "jln", "pak", greetings and sign-offs. This
module lowercases, expands slang and abbreviations, strips greetings, and stems with Sastrawi
(cached per word, the stemmer is slow on first use)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SLANG: dict[str, str] = {
    "yg": "yang",
    "yng": "yang",
    "tdk": "tidak",
    "tak": "tidak",
    "gk": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "jln": "jalan",
    "jl": "jalan",
    "jembtn": "jembatan",
    "pak": "bapak",
    "bpk": "bapak",
    "bp": "bapak",
    "ibu": "ibu",
    "bu": "ibu",
    "dgn": "dengan",
    "dg": "dengan",
    "sdh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "dah": "sudah",
    "blm": "belum",
    "blum": "belum",
    "krn": "karena",
    "karna": "karena",
    "krna": "karena",
    "utk": "untuk",
    "untk": "untuk",
    "tsb": "tersebut",
    "dlm": "dalam",
    "dr": "dari",
    "dri": "dari",
    "sy": "saya",
    "sya": "saya",
    "aq": "saya",
    "aku": "saya",
    "kpd": "kepada",
    "bgt": "sekali",
    "bngt": "sekali",
    "sgt": "sangat",
    "skrg": "sekarang",
    "skr": "sekarang",
    "sampe": "sampai",
    "smp": "sampai",
    "tp": "tapi",
    "tpi": "tapi",
    "jd": "jadi",
    "jdi": "jadi",
    "lg": "lagi",
    "lgi": "lagi",
    "sm": "sama",
    "aja": "saja",
    "aj": "saja",
    "gimana": "bagaimana",
    "gmn": "bagaimana",
    "knp": "kenapa",
    "kalo": "kalau",
    "klo": "kalau",
    "kl": "kalau",
    "mhn": "mohon",
    "trims": "terima kasih",
    "makasih": "terima kasih",
    "tlg": "tolong",
    "tolong": "tolong",
    "bnyk": "banyak",
    "byk": "banyak",
    "org": "orang",
    "thn": "tahun",
    "bln": "bulan",
    "hr": "hari",
    "sblm": "sebelum",
    "stlh": "setelah",
    "msh": "masih",
    "masi": "masih",
    "ckp": "cukup",
    "trs": "terus",
    "bs": "bisa",
    "bsa": "bisa",
    "hrs": "harus",
    "pd": "pada",
    "kab": "kabupaten",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "ds": "desa",
    "prov": "provinsi",
    "pemkab": "pemerintah kabupaten",
    "pemkot": "pemerintah kota",
    "pemprov": "pemerintah provinsi",
    "akte": "akta",
    "ektp": "ktp",
    "e-ktp": "ktp",
    "ktp-el": "ktp",
    "ktpel": "ktp",
    "rusak2": "rusak",
}
GREETINGS = re.compile(
    r"\b(assalamu'?alaikum(\s+wr\.?\s*wb\.?)?|wassalamu'?alaikum(\s+wr\.?\s*wb\.?)?"
    r"|selamat\s+(pagi|siang|sore|malam)|salam\s+sejahtera|dengan\s+hormat|yth\.?"
    r"|terima\s*kasih|terimakasih|hormat\s+saya|salam)\b"
)
TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
STOPWORDS = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "dengan",
        "pada",
        "ini",
        "itu",
        "ada",
        "tidak",
        "sudah",
        "belum",
        "karena",
        "saya",
        "kami",
        "kita",
        "anda",
        "bapak",
        "ibu",
        "mohon",
        "tolong",
        "agar",
        "bisa",
        "akan",
        "atau",
        "juga",
        "dalam",
        "oleh",
        "sebagai",
        "adalah",
        "nya",
        "lah",
        "pun",
        "tersebut",
        "sangat",
        "sekali",
        "lagi",
        "saja",
        "jadi",
        "tapi",
        "kalau",
        "bagaimana",
        "kenapa",
        "apa",
        "hal",
        "sama",
        "terus",
        "harus",
        "masih",
        "sampai",
        "sekarang",
        "para",
    ]
)


def normalise(text: str) -> str:
    """Lowercase, strip greetings and sign-offs, expand slang; keeps word order."""
    text = text.lower()
    text = re.sub(r"\b(kab|kota|kec|jl|prov)\.", r"\1 ", text)
    text = re.sub(r"https?://\S+|\S+@\S+|\+?\d[\d\- ]{7,}\d", " ", text)  # links, mails, phones
    text = GREETINGS.sub(" ", text)
    words = [SLANG.get(tok, tok) for tok in TOKEN.findall(text)]
    return " ".join(words)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    stemmer = StemmerFactory().create_stemmer()
    # Sastrawi keeps its 30,000-word dictionary in a list, so every lookup is a scan (about
    # 20 ms a word); a set gives the same answers at hash speed.
    dictionary = stemmer.delegatedStemmer.dictionary
    dictionary.words = frozenset(dictionary.words)
    return stemmer


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    return str(_stemmer().stem(word))


def stems(text: str) -> list[str]:
    """Normalised, stop-word free, stemmed words of ``text``."""
    return [stem_word(w) for w in normalise(text).split() if w not in STOPWORDS]


def analyse(text: str) -> str:
    """One string of stems: the classifier's word features."""
    return " ".join(stems(text))
