"""Public reads on a real streaming replica, read-your-writes, and the fallbacks (ADR 0016).

The harness (``conftest.py``) starts a PostgreSQL primary and a replica made from it with
``pg_basebackup``; ``routed`` points ``default`` and ``replica`` at them as
``DATABASE_REPLICA_URL`` would."""

from __future__ import annotations

import itertools
import time

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from lapor.core import dbrouter
from lapor.core.replica_middleware import STICKY_COOKIE
from lapor.regions.models import Region
from tests.replica.conftest import Replication, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.urls("tests.replica.urls"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]
codes = (f"R{n}" for n in itertools.count(int(time.time()) % 100000))


def replayed(name: str) -> bool:
    """the replica has replayed the write"""
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM regions_region WHERE name = %s", [name])
        return cursor.fetchone()[0] > 0


def usable_again() -> bool:
    """the router uses the replica again"""
    dbrouter.forget_health()
    return dbrouter.replica_usable()


def make_region(name: str) -> None:
    Region.objects.create(code=next(codes), name=name, level=Region.Level.PROVINSI,
                          kind=Region.Kind.PROVINSI, timezone="Asia/Jakarta")  # fmt: skip


def queries_on(client, url: str, replica_up: bool = True):  # type: ignore[no-untyped-def]
    """The response, and the queries it made on the primary and on the replica."""
    if not replica_up:  # capturing would connect to it
        with CaptureQueriesContext(connections["default"]) as primary:
            response = client.get(url)
        return response, len(primary), 0
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url)
    return response, len(primary), len(replica)


def test_public_page_and_public_api_read_from_the_replica(routed: Replication, client) -> None:
    make_region("Provinsi Replika")
    wait_for(lambda: replayed("Provinsi Replika"))

    response, on_primary, on_replica = queries_on(client, "/laporan/")
    assert response.status_code == 200
    assert on_replica > 0
    assert on_primary == 0
    assert STICKY_COOKIE not in response.cookies

    response, on_primary, on_replica = queries_on(client, "/api/v1/reports/")
    assert response.status_code == 200, response.content
    assert on_replica > 0 and on_primary == 0

    answer = client.get("/uji-replika/", {"name": "Provinsi Replika"}).json()
    assert answer["first"] == {"alias": "replica", "in_recovery": True}
    assert answer["before"] == 1


def test_a_page_that_writes_after_reading_reads_its_write_from_the_primary(
    routed: Replication, client
) -> None:
    # Replay paused: the replica cannot have the write, so a read from it would miss it.
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        answer = client.get("/uji-replika/", {"name": "Provinsi Baru", "write": next(codes)})
        data = answer.json()
        assert data["first"] == {"alias": "replica", "in_recovery": True}
        assert data["before"] == 0
        assert data["second"] == {"alias": "default", "in_recovery": False}
        assert data["after"] == 1
        assert STICKY_COOKIE in answer.cookies  # the writer stays on the primary for a while

        # The writer's next page reads from the primary: it sees its write.
        again = client.get("/uji-replika/", {"name": "Provinsi Baru"}).json()
        assert again["first"] == {"alias": "default", "in_recovery": False}
        assert again["before"] == 1

        response, on_primary, on_replica = queries_on(client, "/laporan/")
        assert response.status_code == 200 and on_primary > 0 and on_replica == 0

        # Another visitor (no cookie) still reads from the replica, lag permitting.
        from django.test import Client

        other = Client().get("/uji-replika/", {"name": "Provinsi Baru"}).json()
        assert other["first"]["alias"] == "replica"
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


def test_a_post_keeps_the_client_on_the_primary_until_the_window_ends(
    routed: Replication, client, settings
) -> None:
    settings.LAPOR_REPLICA_STICKY_SECONDS = 1
    response = client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert STICKY_COOKIE in response.cookies
    assert response.cookies[STICKY_COOKIE]["max-age"] == 1
    assert response.cookies[STICKY_COOKIE]["httponly"]

    assert client.get("/uji-replika/").json()["first"]["alias"] == "default"
    time.sleep(1.1)  # the signed cookie's own time stamp says when it ends
    assert client.get("/uji-replika/").json()["first"]["alias"] == "replica"


def test_transactions_read_from_the_primary(routed: Replication) -> None:
    token = dbrouter.current.set(dbrouter.Route(replica_ok=True))
    try:
        assert dbrouter.choose_read_alias(Region) == "replica"
        with transaction.atomic():
            assert dbrouter.choose_read_alias(Region) == "default"
            assert Region.objects.db == "default"
        assert Region.objects.db == "replica"
        with transaction.atomic():
            list(Region.objects.select_for_update().filter(name="x"))
        # A lock taken is a write's first step: the rest of the request stays on the primary.
        assert Region.objects.db == "default"
    finally:
        dbrouter.current.reset(token)


def test_replica_down_reads_fall_back_to_the_primary(routed: Replication, client) -> None:
    routed.stop(routed.replica)
    try:
        dbrouter.forget_health()
        connections["replica"].close()
        started = time.monotonic()
        response, on_primary, _ = queries_on(client, "/laporan/", replica_up=False)
        assert response.status_code == 200
        assert on_primary > 0
        assert time.monotonic() - started < 5  # the dead replica costs one refused connection
        assert client.get("/uji-replika/").json()["first"]["alias"] == "default"
    finally:
        routed.start(routed.replica)
    wait_for(usable_again)


def test_replica_lagging_beyond_the_limit_reads_fall_back(
    routed: Replication, client, settings
) -> None:
    settings.LAPOR_REPLICA_MAX_LAG_SECONDS = 1
    dbrouter.forget_health()
    assert dbrouter.replica_usable()  # an idle primary: no lag, however old its last commit
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        make_region("Provinsi Tertinggal")

        def lagging() -> bool:
            """the replica is behind by more than the limit"""
            dbrouter.forget_health()
            return not dbrouter.replica_usable()

        wait_for(lagging)
        assert dbrouter._health.lag is not None and dbrouter._health.lag > 1
        response, on_primary, on_replica = queries_on(client, "/laporan/")
        assert response.status_code == 200
        assert on_primary > 0 and on_replica == 0  # the lag just measured is cached
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for(lambda: replayed("Provinsi Tertinggal"))
    wait_for(usable_again)


def test_the_lag_check_works_for_a_role_without_monitoring_rights(routed: Replication) -> None:
    import psycopg

    with connections["default"].cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS pembaca_publik")
        cursor.execute("CREATE ROLE pembaca_publik LOGIN")

    def check() -> tuple[bool, bool, float]:
        """the role exists on the replica and the check answers"""
        with psycopg.connect(
            host="127.0.0.1", port=routed.replica.port, dbname="lapor_harness",
            user="pembaca_publik",
        ) as conn:  # fmt: skip
            return conn.execute(dbrouter.LAG_SQL).fetchone()  # type: ignore[return-value]

    def answers() -> bool:
        """the role has reached the replica"""
        try:
            check()
        except psycopg.OperationalError:
            return False
        return True

    wait_for(answers)
    in_recovery, receiving, lag = check()
    assert in_recovery is True
    assert receiving is True  # pg_stat_wal_receiver's row is visible without pg_read_all_stats
    assert float(lag) <= 5


def test_a_replica_dying_between_checks_fails_one_request_then_reads_fall_back(
    routed: Replication, client, monkeypatch
) -> None:
    monkeypatch.setattr(dbrouter, "HEALTHY_CACHE_SECONDS", 600.0)
    assert dbrouter.replica_usable()  # checked now: believed up for the next 600 s
    routed.stop(routed.replica)
    try:
        client.raise_request_exception = False
        assert client.get("/laporan/").status_code == 500  # its query met the dead server
        response, on_primary, _ = queries_on(client, "/laporan/", replica_up=False)
        assert response.status_code == 200 and on_primary > 0  # marked down at once
    finally:
        routed.start(routed.replica)
    monkeypatch.setattr(dbrouter, "HEALTHY_CACHE_SECONDS", 1.0)
    wait_for(usable_again)


def test_the_sticky_cookie_holds_nothing_about_the_visitor_and_whistleblowers_get_none(
    routed: Replication, client
) -> None:
    from django.test import RequestFactory

    from lapor.core.replica_middleware import STICKY_SALT

    response = client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    later = RequestFactory().get("/")
    later.COOKIES[STICKY_COOKIE] = response.cookies[STICKY_COOKIE].value
    # A signed time stamp and "1": no account, no report, nothing of the visitor.
    assert later.get_signed_cookie(STICKY_COOKIE, salt=STICKY_SALT) == "1"

    for path in ("/wbs/lapor/", "/wbs/ikuti/"):
        answer = client.post(path, {})
        assert answer.status_code < 500
        assert STICKY_COOKIE not in answer.cookies  # no trace of the visit on their browser
