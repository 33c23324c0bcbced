"""Production hands attachments to the reverse proxy: the operator must say where (or say off),
and a mistyped location stops the start-up naming the setting."""

from __future__ import annotations

import pytest

from lapor.config import ConfigError, check_production, read
from tests.core.test_config import SAFE, _lapor_check


def test_development_streams_attachments_from_the_app():
    assert read({}).attachment_accel_prefix == ""


def test_production_without_the_proxy_location_refuses_to_start():
    env = {k: v for k, v in SAFE.items() if k != "ATTACHMENT_ACCEL_PREFIX"}
    with pytest.raises(ConfigError, match="ATTACHMENT_ACCEL_PREFIX must name the internal nginx"):
        check_production(read(env))
    done = _lapor_check(ATTACHMENT_ACCEL_PREFIX=None)
    assert done.returncode == 2 and "ATTACHMENT_ACCEL_PREFIX" in done.stderr
    assert "Traceback" not in done.stderr


def test_production_may_choose_to_stream_from_the_app():
    config = read({**SAFE, "ATTACHMENT_ACCEL_PREFIX": "off"})
    check_production(config)
    assert config.attachment_accel_prefix == ""


def test_the_proxy_location_is_read_as_given():
    assert read(SAFE).attachment_accel_prefix == "/_lampiran/"


@pytest.mark.parametrize("value", ["_lampiran", "/_lampiran", "/../media/", "http://x/"])
def test_a_malformed_proxy_location_is_named(value):
    with pytest.raises(ConfigError, match="ATTACHMENT_ACCEL_PREFIX"):
        read({**SAFE, "ATTACHMENT_ACCEL_PREFIX": value})
