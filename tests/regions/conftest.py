from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def shared_file(name: str) -> Path:
    """A reference file from ../shared/data: skipped outside CI when absent, failed in CI."""
    path = SHARED / name
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing; CI must have ../shared/data beside the checkout")
        pytest.skip(f"{path} is absent (reference data lives outside the repository)")
    return path
