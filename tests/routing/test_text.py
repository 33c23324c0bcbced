"""Normalising what citizens write, as the rules and the classifier read it."""

from lapor.routing.text import analyse, normalise


def test_slang_abbreviations_and_greetings_are_normalised():
    text = "Assalamualaikum pak, jln di kab. Demak yg rusak tdk kunjung diperbaiki krn blm ada dana"
    assert normalise(text) == (
        "bapak jalan di kabupaten demak yang rusak tidak kunjung diperbaiki karena belum ada dana"
    )


def test_stemming_reduces_words_to_their_roots_and_drops_stopwords():
    assert analyse("Jalan berlubang membahayakan para pengendara") == "jalan lubang bahaya kendara"
