"""The routing rules without a replica (SQLite or PostgreSQL alike): the settings, which requests
may read from a replica, and that nothing changes when none is configured (ADR 0016)."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from lapor import config
from lapor.core import dbrouter
from lapor.core.replica_middleware import STICKY_COOKIE, STICKY_SALT, replica_eligible
from lapor.regions.models import Region
from tests.factories import UserFactory

PRIMARY_URL = "postgres://lapor@db-primary.internal:5432/lapor"
REPLICA_URL = "postgres://lapor@db-replica.internal:5432/lapor"


def production(**env: str) -> dict[str, str]:
    return {
        "LAPOR_ENV": "production", "SECRET_KEY": "x" * 40, "ALLOWED_HOSTS": "lapor.go.id",
        "DATABASE_URL": PRIMARY_URL, "CACHE_URL": "redis://cache:6379/0",
        "CLIENT_IP_HEADER": "X-Real-IP", "ATTACHMENT_ACCEL_PREFIX": "off", "SMS_BACKEND": "file",
        **env,
    }  # fmt: skip


def test_settings_default_to_no_replica() -> None:
    conf = config.read({})
    assert conf.database_replica_url == ""
    assert conf.replica_sticky_seconds == 10
    assert conf.replica_max_lag_seconds == 5
    assert config.replica_databases(conf) == {}
    config.check_production(config.read(production()))  # no replica is a valid production


def test_replica_alias_is_built_from_the_url() -> None:
    conf = config.read({"DATABASE_URL": PRIMARY_URL, "DATABASE_REPLICA_URL": REPLICA_URL})
    replica = config.replica_databases(conf)["replica"]
    assert replica["HOST"] == "db-replica.internal"
    assert replica["OPTIONS"] == {"connect_timeout": 2}
    assert replica["TEST"] == {"MIRROR": "default"}


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DATABASE_REPLICA_URL": "sqlite:///x.db"}, "DATABASE_REPLICA_URL"),
        ({"DATABASE_REPLICA_URL": PRIMARY_URL}, "DATABASE_REPLICA_URL"),
        ({"DATABASE_URL": "", "DATABASE_REPLICA_URL": REPLICA_URL}, "DATABASE_URL"),
    ],
)
def test_a_replica_setting_that_cannot_work_is_refused_naming_it(env, named) -> None:  # type: ignore[no-untyped-def]
    conf = config.read(production(**env))
    with pytest.raises(config.ConfigError, match=named):
        config.check_production(conf)
    with pytest.raises(config.ConfigError, match="DATABASE_REPLICA_URL"):
        config.replica_databases(config.read({"DATABASE_URL": PRIMARY_URL, **env}))


@pytest.mark.parametrize("name", ["REPLICA_STICKY_SECONDS", "REPLICA_MAX_LAG_SECONDS"])
@pytest.mark.parametrize("raw", ["0", "soon", "86400"])
def test_replica_seconds_are_checked(name: str, raw: str) -> None:
    with pytest.raises(config.ConfigError, match=name):
        config.read({name: raw})


def test_without_a_replica_every_read_is_on_the_primary_and_no_cookie_is_set(
    client, settings
) -> None:
    settings.LAPOR_READ_REPLICA = False
    token = dbrouter.current.set(dbrouter.Route(replica_ok=True))
    try:
        assert dbrouter.choose_read_alias(Region) == "default"
        assert dbrouter.ReplicaRouter().db_for_write(Region) == "default"
    finally:
        dbrouter.current.reset(token)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert STICKY_COOKIE not in response.cookies


def test_outside_a_request_reads_are_on_the_primary(settings) -> None:
    settings.LAPOR_READ_REPLICA = True
    assert dbrouter.current.get() is None
    assert dbrouter.choose_read_alias(Region) == "default"


def test_migrations_never_run_on_the_replica() -> None:
    router = dbrouter.ReplicaRouter()
    assert router.allow_migrate("replica", "reports") is False
    assert router.allow_migrate("default", "reports") is None


def request(method: str = "get", path: str = "/laporan/", user=None, **extra):  # type: ignore[no-untyped-def]
    made = getattr(RequestFactory(), method)(path, **extra)
    made.resolver_match = resolve(path.split("?")[0])
    made.user = user or AnonymousUser()
    return made


def sticky(seconds_ago: int = 0) -> str:
    """The cookie as the middleware sets it, signed ``seconds_ago``."""
    response = HttpResponse()
    with mock.patch("time.time", return_value=time.time() - seconds_ago):
        response.set_signed_cookie(STICKY_COOKIE, "1", salt=STICKY_SALT)
    return response.cookies[STICKY_COOKIE].value


def test_an_anonymous_public_read_is_eligible() -> None:
    assert replica_eligible(request())
    assert replica_eligible(request(path="/api/v1/reports/"))
    assert replica_eligible(request(path="/dasbor/"))  # dashboards
    assert replica_eligible(request(path="/dasbor/laporan.csv"))  # and their exports


@pytest.mark.django_db
def test_who_stays_on_the_primary() -> None:
    assert not replica_eligible(request("post"))
    assert not replica_eligible(request(path="/kantor/"))
    assert not replica_eligible(request(path="/admin/"))
    assert not replica_eligible(request(HTTP_AUTHORIZATION="Bearer abc"))
    assert not replica_eligible(request(path="/open311/v2/requests.json?api_key=abc"))
    assert not replica_eligible(request(user=UserFactory()))
    fresh = request()
    fresh.COOKIES[STICKY_COOKIE] = sticky()
    assert not replica_eligible(fresh)


def test_a_stale_or_forged_sticky_cookie_is_ignored(settings) -> None:
    settings.LAPOR_REPLICA_STICKY_SECONDS = 10
    old = request()
    old.COOKIES[STICKY_COOKIE] = sticky(seconds_ago=11)
    assert replica_eligible(old)
    forged = request()
    forged.COOKIES[STICKY_COOKIE] = "1:forever:abc"
    assert replica_eligible(forged)


def test_an_object_read_from_the_replica_is_saved_and_followed_on_the_primary(settings) -> None:
    settings.LAPOR_READ_REPLICA = True
    router = dbrouter.ReplicaRouter()
    region = Region(code="99", name="Uji")
    region._state.db = "replica"
    token = dbrouter.current.set(dbrouter.Route(replica_ok=False))
    try:
        assert router.db_for_write(Region, instance=region) == "default"
        assert router.db_for_read(Region, instance=region) == "default"
        region._state.db = "arsip"  # another database entirely: Django's own choice stands
        assert router.db_for_read(Region, instance=region) is None
    finally:
        dbrouter.current.reset(token)
