"""The cryptographic core: keys, sealed texts, streamed files, padding, tampering."""

from __future__ import annotations

import io
import os

import pytest

from lapor.wbs import crypto

COST = crypto.MINIMUM


def test_a_passphrase_opens_the_private_key_and_a_wrong_one_does_not():
    key, recovery = crypto.new_person_key("frasa sandi yang panjang", COST)
    private = crypto.unwrap_with_passphrase(key, "frasa sandi yang panjang")
    assert crypto.PrivateKey(private).public_key.encode() == key.public_key
    with pytest.raises(crypto.Tampered):
        crypto.unwrap_with_passphrase(key, "frasa sandi yang salah!!")
    assert crypto.unwrap_with_recovery(key, recovery) == private
    assert crypto.unwrap_with_recovery(key, recovery.lower().replace("-", " ")) == private


def test_a_case_key_sealed_to_a_recipient_opens_only_with_their_key():
    mine, _ = crypto.new_person_key("frasa sandi milik saya", COST)
    other, _ = crypto.new_person_key("frasa sandi orang lain", COST)
    _public, private = crypto.new_case_key()
    sealed = crypto.seal(mine.public_key, private)
    assert (
        crypto.unseal(crypto.unwrap_with_passphrase(mine, "frasa sandi milik saya"), sealed)
        == private
    )
    with pytest.raises(crypto.Tampered):
        crypto.unseal(crypto.unwrap_with_passphrase(other, "frasa sandi orang lain"), sealed)


def test_sealed_texts_hide_their_length_in_buckets_and_detect_a_changed_byte():
    public, private = crypto.new_case_key()
    short = crypto.seal_json(public, {"text": "a"})
    longer = crypto.seal_json(public, {"text": "a" * 200})
    assert len(short) == len(longer)  # both in the smallest bucket
    assert crypto.unseal_json(private, longer) == {"text": "a" * 200}
    broken = bytearray(longer)
    broken[60] ^= 1
    with pytest.raises(crypto.Tampered):
        crypto.unseal_json(private, bytes(broken))


@pytest.mark.parametrize("size", [0, 1, 65_535, 65_536, 65_537, 300_001])
def test_files_stream_back_whole_and_are_padded_to_their_bucket(size):
    data = os.urandom(size)
    out = io.BytesIO()
    key, plain_size = crypto.encrypted_chunks(
        [data[i : i + 7_000] for i in range(0, size, 7_000)], out
    )
    stored = out.getvalue()
    assert plain_size == size
    assert len(stored) == crypto.ciphertext_size(crypto.padded_file_size(size))
    assert b"".join(crypto.decrypt_stream(key, io.BytesIO(stored), size)) == data


def test_files_of_close_sizes_are_stored_at_the_same_size():
    sizes = set()
    for size in (1_000_000, 1_005_000, 1_015_000):
        out = io.BytesIO()
        crypto.encrypted_chunks([bytes(size)], out)
        sizes.add(len(out.getvalue()))
    assert len(sizes) == 1


@pytest.mark.parametrize("where", ["header", "middle", "cut", "appended"])
def test_a_changed_or_cut_file_is_detected(where):
    data = os.urandom(200_000)
    out = io.BytesIO()
    key, size = crypto.encrypted_chunks([data], out)
    stored = bytearray(out.getvalue())
    if where == "header":
        stored[3] ^= 1
    elif where == "middle":
        stored[100_000] ^= 1
    elif where == "cut":
        del stored[-(crypto.CHUNK // 2) :]
    else:
        stored += b"x"
    with pytest.raises(crypto.Tampered):
        b"".join(crypto.decrypt_stream(key, io.BytesIO(bytes(stored)), size))


def test_receipts_are_16_random_digits_and_their_index_needs_the_server_key():
    receipts = {crypto.new_receipt() for _ in range(50)}
    assert len(receipts) == 50 and all(len(r) == 16 and r.isdigit() for r in receipts)
    receipt = receipts.pop()
    assert crypto.receipt_index(b"k" * 32, receipt) != crypto.receipt_index(b"j" * 32, receipt)


def test_padme_adds_at_most_twelve_percent():
    for n in (1_000, 65_536, 1_000_003, 10_485_763):
        assert n <= crypto.padme(n) <= n * 1.12
