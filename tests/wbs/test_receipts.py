"""A wrong receipt costs what a right one costs, and guessing is rate limited."""

from __future__ import annotations

import contextlib
import statistics
import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from lapor.core.errors import NotFound
from lapor.wbs import crypto, services
from tests.wbs.conftest import file_case

pytestmark = pytest.mark.django_db


def test_a_right_and_a_wrong_receipt_each_run_the_slow_derivation_once(tree):
    sub = file_case(tree)
    with mock.patch.object(crypto, "receipt_secrets", wraps=crypto.receipt_secrets) as slow:
        services.case_open_by_receipt(receipt=sub.receipt)
        assert slow.call_count == 1
        with pytest.raises(NotFound):
            services.case_open_by_receipt(receipt="9" * 16)  # no such index
        assert slow.call_count == 2
        wrong_index = sub.receipt[:-1] + str((int(sub.receipt[-1]) + 1) % 10)
        with pytest.raises(NotFound):
            services.case_open_by_receipt(receipt=wrong_index)
        assert slow.call_count == 3


def test_a_wrong_receipt_is_refused_at_the_speed_of_a_right_one(tree, settings):
    settings.LAPOR_WBS_KDF = "interactive"  # the production cost (about a quarter second)
    sub = file_case(tree)

    def timed(receipt: str) -> float:
        start = time.perf_counter()
        with contextlib.suppress(NotFound):
            services.case_open_by_receipt(receipt=receipt)
        return time.perf_counter() - start

    def one_derivation() -> float:  # the calibration: Argon2id at that cost, on this machine
        start = time.perf_counter()
        crypto.derive("0" * 16, crypto.new_salt(), crypto.INTERACTIVE)
        return time.perf_counter() - start

    right, wrong, kdf = [], [], []
    for i in range(5):
        right.append(timed(sub.receipt))
        wrong.append(timed(f"{i:016d}"))
        kdf.append(one_derivation())
    ratio = statistics.median(wrong) / statistics.median(right)
    assert 0.6 < ratio < 1.6, (right, wrong)
    # the slow derivation ran for the wrong receipt too: it takes at least most of one
    assert statistics.median(wrong) > 0.7 * statistics.median(kdf), (wrong, kdf)


def test_guessing_receipts_is_limited_per_connection_even_for_the_right_receipt(tree, settings):
    settings.LAPOR_WBS_RATE_RECEIPT = 3
    sub = file_case(tree)
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(3):
        assert guesser.post(reverse("wbs:follow"), {"receipt": f"{i:016d}"}).status_code == 400
    refused = guesser.post(reverse("wbs:follow"), {"receipt": sub.receipt})
    assert refused.status_code == 429 and "Terlalu banyak percobaan" in refused.content.decode()
    assert refused["Retry-After"] == "3600"
    # another connection is not held back
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.post(reverse("wbs:follow"), {"receipt": sub.receipt}).status_code == 302


def test_unlocking_is_limited_per_officer(tree, settings):
    from tests.backoffice.conftest import sign_in

    settings.LAPOR_WBS_RATE_UNLOCK = 2
    staff = sign_in(Client(), tree.demak_inspector)
    for _ in range(2):
        assert (
            staff.post(reverse("wbs:unlock"), {"passphrase": "salah salah salah"}).status_code
            == 400
        )
    page = staff.post(reverse("wbs:unlock"), {"passphrase": "kopi tubruk di alun-alun demak"})
    assert page.status_code == 400 and "Terlalu banyak percobaan" in page.content.decode()


@pytest.mark.redis
def test_in_redis_the_rate_limit_keys_hold_no_address(tree, redis_caches, settings):
    import redis
    from django.test import override_settings

    from tests.conftest import REDIS_URL

    settings.LAPOR_WBS_RATE_RECEIPT = 2
    prefix = str(redis_caches["default"]["KEY_PREFIX"])
    with override_settings(CACHES=redis_caches):
        guesser = Client(REMOTE_ADDR="203.0.113.77")
        statuses = [
            guesser.post(reverse("wbs:follow"), {"receipt": f"{i:016d}"}).status_code
            for i in range(3)
        ]
    assert statuses == [400, 400, 429]
    keys = [k.decode() for k in redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}:*")]
    assert keys and all("203.0.113.77" not in k and "203_0_113_77" not in k for k in keys)
