"""An operator's unsafe production setting stops the start-up and names the setting."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lapor.config import ConfigError, check_production, read

SAFE = {
    "LAPOR_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "lapor.go.id",
    "DATABASE_URL": "postgres://lapor@db/lapor",
    "SMS_GATEWAY_URL": "https://sms.example.go.id/send",
}


def test_safe_production_settings_pass():
    check_production(read(SAFE))


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"DEBUG": "true"}, "DEBUG"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
    ],
)
def test_unsafe_production_setting_is_named(change, named):
    env = {**SAFE, **change}
    env = {k: v for k, v in env.items() if v is not None}
    with pytest.raises(ConfigError) as info:
        check_production(read(env))
    assert named in str(info.value)


def test_malformed_values_name_the_setting():
    with pytest.raises(ConfigError, match="MAX_UPLOAD_BYTES"):
        read({"MAX_UPLOAD_BYTES": "sepuluh"})
    with pytest.raises(ConfigError, match="DEBUG"):
        read({"DEBUG": "mungkin"})


def test_embedded_defaults_are_safe_for_development():
    config = read({})
    assert not config.production and config.database_url == ""
    assert "127.0.0.1" in config.allowed_hosts


def test_lapor_command_refuses_to_start_with_debug_in_production():
    env = {k: v for k, v in os.environ.items() if k not in SAFE}
    env.update({**SAFE, "DEBUG": "true"})
    done = subprocess.run(
        [sys.executable, "-m", "lapor.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "DEBUG must be false" in done.stderr and "Traceback" not in done.stderr
