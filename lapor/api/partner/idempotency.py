"""``Idempotency-Key`` for the partner API's writes (IETF httpapi draft
"The Idempotency-Key HTTP Header Field").

The header's value is a Structured Field string (``Idempotency-Key: "8e03978e-…"``); an unquoted
value is accepted too, as many clients send one (``docs/api.md``). For a key the partner has not
used: an ``in_flight`` record is inserted and committed in its own short transaction *before*
the work, so a request with the same key in another process meets the unique index and answers
409 ``idempotency_in_flight`` instead of doing the work twice. When the work answers (below 500)
the record keeps its status and body; the same key with the same request replays them with
``Idempotent-Replayed: true``; with another request, 422 ``idempotency_key_reused``, nothing
done. A 5xx or a crash drops the record, so the retry runs. A request that could not drop it
(killed mid-request, or the database went away under it) leaves an ``in_flight`` record. On
PostgreSQL each request holds a session advisory lock on its key while it runs (``_held``),
taken *before* the record is read: the lock goes when the request ends, its process dies or
its connection is cut, so a retry that gets the lock and finds ``in_flight`` knows nobody is
working on it and takes it over at once; a retry that cannot get the lock meets a live request
(409). Elsewhere (SQLite), an ``in_flight`` record older than ``ABANDONED_AFTER`` is taken over
by the next request.
Records are kept ``IDEMPOTENCY_KEY_HOURS`` (default 24, ``lapor.config``) and pruned by the daily
job prune (``jobs.retention``); an older key is a new key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from lapor.api import multipart
from lapor.api.partner.error_codes import PartnerErrorCode
from lapor.api.partner.records import IdempotencyRecord
from lapor.core.errors import Conflict, IdempotencyMismatch, ValidationFailed

if TYPE_CHECKING:
    from lapor.api.models import Partner

HEADER = "Idempotency-Key"
MAX_KEY = 255
ABANDONED_AFTER = timedelta(minutes=5)  # longer than any request may run (gunicorn timeout)


def key_ttl() -> timedelta:
    return timedelta(hours=settings.LAPOR_IDEMPOTENCY_KEY_HOURS)


def parse_key(raw: str | None) -> str:
    """The key of the header: an sf-string (``"…"``, ``\\"`` and ``\\\\`` escapes) or, leniently,
    the bare value; "" when absent. Printable ASCII only, at most ``MAX_KEY`` characters."""
    value = (raw or "").strip()
    if not value:
        return ""
    if value.startswith('"'):
        chars, i, closed = [], 1, False
        while i < len(value):
            c = value[i]
            if c == "\\" and i + 1 < len(value) and value[i + 1] in '"\\':
                chars.append(value[i + 1])
                i += 2
                continue
            if c == '"':
                closed = i == len(value) - 1
                break
            chars.append(c)
            i += 1
        value = "".join(chars) if closed else ""
    if not value or len(value) > MAX_KEY or any(not " " <= c <= "~" for c in value):
        raise ValidationFailed(
            _(
                "Header Idempotency-Key harus berisi teks ASCII 1 sampai 255 karakter, misalnya "
                '"4f1c2d9e-…". Buat kunci baru untuk setiap permintaan baru.'
            ),
            code=PartnerErrorCode.INVALID_IDEMPOTENCY_KEY,
            field=HEADER,
        )
    return value


def request_hash(request: Request) -> str:
    """SHA-256 of the method, path and the parsed body in a canonical form (key order and
    whitespace do not make two requests different); a multipart body by its parts and its
    files' names and SHA-256 (``api.multipart.canonical``)."""
    data = multipart.canonical(request) if multipart.is_multipart(request) else request.data
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    text = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _reused() -> IdempotencyMismatch:
    return IdempotencyMismatch(
        _(
            "Kunci idempotensi ini sudah dipakai untuk permintaan dengan isi lain. Kirim "
            "permintaan baru dengan kunci baru."
        ),
        field=HEADER,
    )


def _in_flight() -> Conflict:
    return Conflict(
        _(
            "Permintaan dengan kunci idempotensi ini masih diproses. Coba lagi sebentar lagi "
            "dengan kunci yang sama."
        ),
        code=PartnerErrorCode.IDEMPOTENCY_IN_FLIGHT,
        field=HEADER,
    )


def _claim(partner: Partner, key: str, digest: str, now: datetime) -> IdempotencyRecord | None:
    """Our new ``in_flight`` record (committed), or the one already there."""
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(
                partner=partner, key=key, request_hash=digest, created_at=now, started_at=now
            )
        return None
    except IntegrityError:
        return IdempotencyRecord.objects.filter(partner=partner, key=key).first()


def _take_over(found: IdempotencyRecord, digest: str, now: datetime) -> bool:
    """Restart an expired or abandoned record, if no other request did first."""
    taken = IdempotencyRecord.objects.filter(
        pk=found.pk, state=found.state, started_at=found.started_at
    ).update(
        request_hash=digest,
        state=IdempotencyRecord.State.IN_FLIGHT,
        status_code=None,
        response_body="",
        created_at=now,
        started_at=now,
    )
    return bool(taken)


def _lock_id(partner: Partner, key: str) -> int:
    digest = hashlib.blake2b(f"idempotency:{partner.pk}:{key}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


@contextmanager
def _held(partner: Partner, key: str) -> Iterator[bool | None]:
    """PostgreSQL: the key's advisory lock for as long as the request runs: True when this
    request holds it, False when a live request does. None elsewhere (no such lock)."""
    if connection.vendor != "postgresql":
        yield None
        return
    lock = _lock_id(partner, key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock])
        got = bool(cursor.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [lock])
            except DatabaseError:  # the connection is gone, and its lock with it
                pass


def replayed(record: IdempotencyRecord) -> Response:
    response = Response(json.loads(record.response_body), status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def run(request: Request, partner: Partner, work: Callable[[], Response]) -> Response:
    """Answer ``work()`` once per key of the request's ``Idempotency-Key`` (none: just run it)."""
    key = parse_key(request.headers.get(HEADER))
    if not key:
        return work()
    digest = request_hash(request)
    with _held(partner, key) as held:
        if held is False:
            raise _in_flight()
        return _run_once(request, partner, key, digest, held, work)


def _run_once(
    request: Request,
    partner: Partner,
    key: str,
    digest: str,
    held: bool | None,
    work: Callable[[], Response],
) -> Response:
    now = timezone.now()
    found = _claim(partner, key, digest, now)
    if found is not None:
        expired = found.created_at < now - key_ttl()
        if not expired and found.request_hash != digest:
            raise _reused()
        if not expired and found.state == IdempotencyRecord.State.DONE:
            return replayed(found)
        # Holding the key's lock, an in-flight record is nobody's: its request is gone.
        abandoned = held is True or found.started_at < now - ABANDONED_AFTER
        if not (expired or abandoned) or not _take_over(found, digest, now):
            raise _in_flight()
    mine = IdempotencyRecord.objects.filter(partner=partner, key=key, started_at=now)
    try:
        response = work()
    except Exception as exc:  # an error answered in the error shape is the stored answer
        from lapor.api.errors import exception_handler

        handled = exception_handler(exc, {"request": request})
        if handled is None or handled.status_code >= 500:
            mine.delete()
            raise
        response = handled
    if response.status_code >= 500:
        mine.delete()
        return response
    mine.update(
        state=IdempotencyRecord.State.DONE,
        status_code=response.status_code,
        response_body=json.dumps(response.data, default=str),
    )
    return response


def prune(*, now: datetime | None = None) -> int:
    """Delete records past their keep time (the daily job prune); the number deleted."""
    now = now or timezone.now()
    count, _deleted = IdempotencyRecord.objects.filter(created_at__lt=now - key_ttl()).delete()
    return count
