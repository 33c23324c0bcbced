"""An operator's unsafe production setting stops the start-up and names the setting."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lapor.config import ConfigError, caches, check_production, client_ip_meta_key, read

SAFE = {
    "LAPOR_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "lapor.go.id",
    "DATABASE_URL": "postgres://lapor@db/lapor",
    "CACHE_URL": "redis://cache.internal:6379/0",
    "CLIENT_IP_HEADER": "X-Real-IP",
    "SMS_GATEWAY_URL": "https://sms.example.go.id/send",
    "ATTACHMENT_ACCEL_PREFIX": "/_lampiran/",
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
        ({"CACHE_URL": None}, "CACHE_URL"),
        ({"CLIENT_IP_HEADER": None}, "CLIENT_IP_HEADER"),
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
    with pytest.raises(ConfigError, match="CACHE_URL"):
        read({"CACHE_URL": "memcached://cache:11211"})


def test_cache_url_configures_a_shared_redis_cache():
    default = caches(read({"CACHE_URL": "redis://cache.internal:6379/2"}))["default"]
    assert default["BACKEND"] == "lapor.core.cache.RedisCache"  # Django's, one client each
    assert default["LOCATION"] == "redis://cache.internal:6379/2"


def test_without_cache_url_each_process_keeps_its_own_cache():
    default = caches(read({}))["default"]
    assert default["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_embedded_defaults_are_safe_for_development():
    config = read({})
    assert not config.production and config.database_url == "" and config.cache_url == ""
    assert "127.0.0.1" in config.allowed_hosts


def _lapor_check(**change: str | None) -> subprocess.CompletedProcess[str]:
    """``lapor check`` in production with SAFE changed (None: the setting left out)."""
    env = {k: v for k, v in os.environ.items() if k not in SAFE}
    env.update({k: v for k, v in {**SAFE, **change}.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-m", "lapor.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_lapor_command_refuses_to_start_with_debug_in_production():
    done = _lapor_check(DEBUG="true")
    assert done.returncode == 2
    assert "DEBUG must be false" in done.stderr and "Traceback" not in done.stderr


def test_production_without_a_shared_cache_refuses_to_start():
    done = _lapor_check(CACHE_URL=None)
    assert done.returncode == 2
    assert "CACHE_URL must point at a Redis server" in done.stderr
    assert "Traceback" not in done.stderr


def test_production_without_the_client_address_header_refuses_to_start():
    done = _lapor_check(CLIENT_IP_HEADER=None)
    assert done.returncode == 2
    assert "CLIENT_IP_HEADER must name the header" in done.stderr
    assert "Traceback" not in done.stderr


def test_client_ip_header_names_where_the_address_is():
    assert client_ip_meta_key(read({})) == "REMOTE_ADDR"
    assert client_ip_meta_key(read({"CLIENT_IP_HEADER": "REMOTE_ADDR"})) == "REMOTE_ADDR"
    assert client_ip_meta_key(read({"CLIENT_IP_HEADER": "X-Real-IP"})) == "HTTP_X_REAL_IP"
    check_production(read({**SAFE, "CLIENT_IP_HEADER": "REMOTE_ADDR"}))  # no proxy: allowed


def test_malformed_client_ip_header_is_named():
    with pytest.raises(ConfigError, match="CLIENT_IP_HEADER"):
        read({"CLIENT_IP_HEADER": "X-Real-IP: 1.2.3.4"})


@pytest.mark.parametrize("raw", ["600", "0/min", "ten/min", "600/fortnight"])
def test_a_malformed_api_rate_is_named(raw):
    with pytest.raises(ConfigError, match="API_RATE_IP"):
        read({"API_RATE_IP": raw})


def test_api_rates_reach_the_throttles():
    config = read({"API_RATE_CLIENT": "10/s", "API_RATE_IP": "5000/hour"})
    assert (config.api_rate_client, config.api_rate_ip) == ("10/s", "5000/hour")


@pytest.mark.parametrize("name", ["ROUTING_AUTO_DISPOSE_AT", "ROUTING_AUTO_AGENCY_PRECISION"])
@pytest.mark.parametrize("raw", ["0", "1.5", "95%", "tinggi"])
def test_a_routing_share_out_of_range_is_named(name, raw):
    with pytest.raises(ConfigError, match=name):
        read({name: raw})


def test_routing_shares_reach_the_settings_only_when_set():
    config = read({"ROUTING_AUTO_DISPOSE_AT": "0.97", "ROUTING_AUTO_AGENCY_PRECISION": " 0.9 "})
    assert (config.routing_auto_dispose_at, config.routing_auto_agency_precision) == (0.97, 0.9)
    unset = read({})
    assert (unset.routing_auto_dispose_at, unset.routing_auto_agency_precision) == (None, None)
