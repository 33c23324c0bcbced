from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def country(db: None) -> None:
    """The whole country's reference data, as `lapor reference load` installs it."""
    call_command("reference_load", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _models_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test trains into its own model directory, never the developer's var/models."""
    settings.LAPOR_ROUTING_MODEL_DIR = tmp_path / "models"
