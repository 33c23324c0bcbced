from __future__ import annotations

import pytest

from lapor.core import ids


def test_tracking_ids_are_unique_readable_and_valid():
    drawn = {ids.new_tracking_id() for _ in range(20000)}
    assert len(drawn) == 20000
    for tid in list(drawn)[:500]:
        assert len(tid) == ids.LENGTH and set(tid) <= set(ids.ALPHABET)
        assert ids.is_valid(tid)
        assert not set(tid) & set("ILOU")


@pytest.mark.parametrize("seed", range(40))
def test_every_single_mistyped_symbol_is_caught(seed):
    tid = ids.new_tracking_id()
    for position in range(len(tid)):
        for symbol in ids.ALPHABET:
            if symbol != tid[position]:
                typo = tid[:position] + symbol + tid[position + 1 :]
                assert not ids.is_valid(typo), (tid, typo)


@pytest.mark.parametrize("seed", range(40))
def test_every_swap_of_neighbours_is_caught(seed):
    tid = ids.new_tracking_id()
    for i in range(len(tid) - 1):
        if tid[i] != tid[i + 1]:
            swapped = tid[:i] + tid[i + 1] + tid[i] + tid[i + 2 :]
            assert not ids.is_valid(swapped)


def test_display_form_and_lookalikes_are_accepted():
    tid = ids.new_tracking_id()
    shown = ids.display(tid)
    assert shown.count("-") == 2 and ids.is_valid(shown.lower())
    if "1" in tid:
        assert ids.is_valid(tid.replace("1", "l"))
    assert ids.normalize(" " + shown.lower() + " ") == tid


def test_guest_secret_is_stored_hashed():
    secret = ids.new_secret()
    digest = ids.hash_secret(secret)
    assert secret not in digest and len(digest) == 64
    assert ids.secret_matches(secret.lower(), digest)
    assert not ids.secret_matches(ids.new_secret(), digest)
    assert not ids.secret_matches(secret, "")
