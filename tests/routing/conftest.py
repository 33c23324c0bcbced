from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def country(db: None) -> None:
    """The whole country's reference data, as `lapor reference load` installs it."""
    call_command("reference_load", stdout=open("/dev/null", "w"))  # noqa: SIM115
