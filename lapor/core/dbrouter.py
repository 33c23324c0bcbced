"""Public reads on a PostgreSQL streaming replica (ADR 0016), everything else on the primary.

The database alias ``replica`` exists only when ``DATABASE_REPLICA_URL`` is set; without it this
router sends everything to ``default`` and changes nothing.

The rule, in order (``ReplicaRouter.db_for_read``):

1. Outside a request marked eligible by ``lapor.core.replica_middleware`` (workers, management
   commands, the back office, signed-in users, API calls with a token, any unsafe method, a
   client within ``REPLICA_STICKY_SECONDS`` of its last write): the primary.
2. Inside a transaction on the primary (``transaction.atomic``, so every service in
   ``reports/services`` and every ``select_for_update``): the primary. A read that a write
   depends on belongs inside the write's transaction; read there, it is never stale.
3. Once the request has written anything (``db_for_write`` was asked), the rest of the request
   reads from the primary, and the response carries the sticky cookie.
4. The replica is used only while it answers, has a WAL receiver running, and its replay lag is
   within ``REPLICA_MAX_LAG_SECONDS``; the check costs one query per process every
   ``HEALTHY_CACHE_SECONDS`` (a replica found down is not asked again for
   ``DOWN_CACHE_SECONDS``).

Writes always go to the primary; migrations run on the primary only (the replica follows it).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
HEALTHY_CACHE_SECONDS = 1.0
DOWN_CACHE_SECONDS = 5.0

# Lag in seconds: 0 while everything received has been replayed (an idle primary writes no
# transactions, so the last replayed one ages without the replica being behind; after a restart
# the receive position starts at or before the replay position); otherwise the age of the last
# transaction replayed. Without a running WAL receiver (the stream is broken, or this server is
# not a standby) the replica is not used: it could be behind by any amount.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver),
       CASE WHEN pg_last_wal_receive_lsn() IS NULL
              OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
       END
"""


@dataclass
class Route:
    """What the current request may do: read from the replica, and whether it has written."""

    replica_ok: bool = False
    wrote: bool = False


current: contextvars.ContextVar[Route | None] = contextvars.ContextVar(
    "lapor_db_route", default=None
)


@dataclass
class _Health:
    usable: bool = False
    checked_at: float = float("-inf")
    lag: float | None = None


_health = _Health()
_health_lock = threading.Lock()


def replica_configured() -> bool:
    return bool(getattr(settings, "LAPOR_READ_REPLICA", False)) and REPLICA in connections.settings


def max_lag_seconds() -> float:
    return float(getattr(settings, "LAPOR_REPLICA_MAX_LAG_SECONDS", 5))


def forget_health() -> None:
    """Check the replica again on the next read (tests; after an operator's change)."""
    with _health_lock:
        _health.checked_at = float("-inf")


def mark_down() -> None:
    """The replica failed a query: keep reads off it for ``DOWN_CACHE_SECONDS``."""
    with _health_lock:
        _health.usable = False
        _health.lag = None
        _health.checked_at = time.monotonic()
    _close_replica()


def _close_replica() -> None:
    with contextlib.suppress(DatabaseError):
        connections[REPLICA].close()


def measure() -> tuple[bool, float | None]:
    """Ask the replica (one query): is it a standby that receives WAL, and how far behind is it."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, receiving, lag = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("replica unreachable, reading from the primary: %s", type(error).__name__)
        _close_replica()
        return False, None
    lag = None if lag is None else float(lag)
    usable = bool(in_recovery) and bool(receiving) and lag is not None and lag <= max_lag_seconds()
    if not usable:
        logger.warning(
            "replica not used (in recovery %s, receiving %s, lag %s s): reading from the primary",
            in_recovery,
            receiving,
            lag,
        )
    return usable, lag


def replica_usable() -> bool:
    """Whether reads may go to the replica now, from a result cached per process."""
    now = time.monotonic()
    with _health_lock:
        age = now - _health.checked_at
        fresh = HEALTHY_CACHE_SECONDS if _health.usable else DOWN_CACHE_SECONDS
        if age < fresh:
            return _health.usable
        # Stamp before asking so other threads keep the old answer meanwhile.
        _health.checked_at = now
    usable, lag = measure()
    with _health_lock:
        _health.usable, _health.lag = usable, lag
        _health.checked_at = time.monotonic()
    return usable


def _in_primary_transaction() -> bool:
    return connections[PRIMARY].in_atomic_block


# Always on the primary: sign-in state must be exact the moment it is written.
PRIMARY_ONLY_APPS = frozenset({"sessions", "otp_totp", "otp_static", "django_otp"})


def choose_read_alias(model: type | None = None) -> str:
    route = current.get()
    if route is None or not route.replica_ok or route.wrote:
        return PRIMARY
    if not replica_configured() or _in_primary_transaction():
        return PRIMARY
    meta = getattr(model, "_meta", None)
    if meta is not None and meta.app_label in PRIMARY_ONLY_APPS:
        return PRIMARY
    return REPLICA if replica_usable() else PRIMARY


def _other_database(hints: dict[str, Any]) -> bool:
    """An object of a database other than these two (``using()`` elsewhere): Django's own
    choice, the object's database, stands."""
    instance = hints.get("instance")
    db = getattr(getattr(instance, "_state", None), "db", None)
    return db is not None and db not in (PRIMARY, REPLICA)


class ReplicaRouter:
    """Django's database router (``DATABASE_ROUTERS``): see the module's rule."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _other_database(hints):
            return None
        return choose_read_alias(model)

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        if _other_database(hints):
            return None
        route = current.get()
        if route is not None:
            route.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        aliases = {PRIMARY, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        if db == REPLICA:
            return False
        return None
