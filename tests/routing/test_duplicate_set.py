"""The labelled pair set (bench/duplicates_set.py) from the shared LaporGub! file: every kind,
labelled as its kind says, the same pairs for the same seed, and no source text in both the
development and the held-out half. Skipped where the shared file is absent."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
import duplicates_set  # noqa: E402

pytestmark = [
    pytest.mark.usefixtures("country"),
    pytest.mark.skipif(not duplicates_set.COMPLAINTS.exists(), reason="no shared LaporGub! file"),
]


def test_pairs_of_every_kind_split_by_source_report():
    dev = duplicates_set.build("dev", 1, 12)
    test = duplicates_set.build("test", 2, 12)
    # every generated kind is there, labelled as its kind says
    for pairs in (dev, test):
        kinds = Counter(kind for *_, kind in pairs)
        generated = set(duplicates_set.POSITIVE + duplicates_set.NEGATIVE) - {"exact"}
        assert generated <= set(kinds)
        for _a, _b, label, kind in pairs:
            if kind != "natural":  # judged by hand, either way
                assert label == (1 if kind in duplicates_set.POSITIVE else 0)
    # no text of one half's source reports in the other half's pairs
    rows = duplicates_set.load()
    by_half: dict[str, set[str]] = {"dev": set(), "test": set()}
    for row in rows:
        by_half[duplicates_set.half(row["source_id"])].add(row["text"])
    only_dev, only_test = by_half["dev"] - by_half["test"], by_half["test"] - by_half["dev"]
    dev_texts = {t for a, b, *_ in dev for t in (a, b)}
    test_texts = {t for a, b, *_ in test for t in (a, b)}
    assert dev_texts.isdisjoint(only_test) and test_texts.isdisjoint(only_dev)
    assert {a for a, *_ in dev} <= by_half["dev"] and {a for a, *_ in test} <= by_half["test"]
    # and a fixed seed gives the same set
    assert duplicates_set.build("dev", 1, 12) == dev
