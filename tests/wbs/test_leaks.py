"""Nothing readable of a WBS report outside the recipients' sessions: not in a database dump,
not in the storage folder, not in the logs, not in the Django admin."""

from __future__ import annotations

import logging
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from lapor.wbs.models import Case
from tests.backoffice.conftest import sign_in
from tests.wbs.conftest import CONTACT, HOW, NAME, PASSPHRASE, WHAT, WHO
from tests.wbs.test_views import EVIDENCE, submit_case

QUESTION = "Apakah Bu Wahyuningsih dari bagian keuangan ikut menerima uangnya?"
ANSWER = "Ya, Bu Wahyuningsih menyimpan buku catatan setoran di laci mejanya."
IP = "198.51.100.23"
UA = "PengujiRahasia/9.9 (WbsLeakTest)"
REFERRER = "https://pengirim-rahasia.contoh.id/asal"


def _secrets(receipt: str) -> list[bytes]:
    texts = [WHAT, WHO, HOW, NAME, CONTACT, QUESTION, ANSWER, "kuitansi.pdf", receipt]
    found = [t.encode() for t in texts]
    # slices of the evidence file: its start, middle and end
    found += [EVIDENCE[:48], EVIDENCE[60_000:60_048], EVIDENCE[-48:]]
    return found


def _whole_flow() -> tuple[str, Client]:
    """Submit (with identity and a file), the inspector reads with the passphrase and asks, the
    whistleblower answers with the receipt; the inspector's session stays open."""
    from tests.wbs.test_views import _form  # noqa: F401  (the form helper, same data)

    wb = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT=UA, HTTP_REFERER=REFERRER)
    receipt, _ = submit_case(wb, contact=CONTACT)
    case = Case.objects.get()
    inspector = case.keys.get().user
    staff = sign_in(Client(), inspector)
    staff.post(reverse("wbs:unlock"), {"passphrase": PASSPHRASE})
    assert WHAT in staff.get(reverse("wbs:staff_case", args=[case.public_id])).content.decode()
    staff.post(reverse("wbs:staff_message", args=[case.public_id]), {"text": QUESTION})
    wb.post(reverse("wbs:follow"), {"receipt": receipt})
    wb.post(reverse("wbs:case"), {"text": ANSWER})
    assert ANSWER in staff.get(reverse("wbs:staff_case", args=[case.public_id])).content.decode()
    return receipt, staff


def _sqlite_rows() -> bytes:
    """Every row of every table, plus the database file and its write-ahead log as bytes."""
    out = bytearray()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - the schema's own names
            for row in cursor.fetchall():
                for value in row:
                    out += (
                        bytes(value)
                        if isinstance(value, bytes | memoryview)
                        else str(value).encode()
                    )
                    out += b"\n"
    name = str(connection.settings_dict["NAME"])
    for path in (name, name + "-wal"):
        if os.path.exists(path):
            out += Path(path).read_bytes()
    return bytes(out)


def _pg_dump() -> bytes:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    command = [
        "pg_dump",
        "--data-only",
        "--inserts",
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
        str(db["NAME"]),
    ]
    return subprocess.run(command, env=env, capture_output=True, check=True, timeout=120).stdout


def _sessions() -> bytes:
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    return repr([store().decode(s.session_data) for s in Session.objects.all()]).encode()


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_none_of_the_report(tree):
    receipt, _ = _whole_flow()
    dump = _pg_dump() if connection.vendor == "postgresql" else _sqlite_rows()
    dump += _sessions()
    assert Case.objects.get().public_id.encode() in dump  # the dump does hold the case
    for secret in _secrets(receipt):
        assert secret not in dump, secret[:40]
    # the whistleblower's address and browser are nowhere either
    assert IP.encode() not in dump and UA.encode() not in dump


@pytest.mark.django_db(transaction=True)
def test_the_storage_folder_holds_none_of_the_report(tree):
    receipt, _ = _whole_flow()
    files = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert files, "the evidence was stored"
    for path in files:
        data = path.read_bytes()
        assert len(data) > len(EVIDENCE)  # padded
        for secret in _secrets(receipt):
            assert secret not in data, (path, secret[:40])


@pytest.mark.django_db
def test_the_logs_of_a_submission_hold_no_address_browser_or_referrer(tree, caplog):
    caplog.set_level(logging.DEBUG)
    wb = Client(
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT=UA,
        HTTP_REFERER=REFERRER,
        HTTP_X_REAL_IP=IP,
        HTTP_X_FORWARDED_FOR=IP,
    )
    receipt, _ = submit_case(wb)
    wb.post(reverse("wbs:follow"), {"receipt": "0000000000000000"})  # a 400
    wb.get("/wbs/tidak-ada/")  # a 404, which django.request logs with the request
    wb.post(reverse("wbs:follow"), {"receipt": receipt})
    assert any(r.name == "django.request" for r in caplog.records), "the 404 was logged"
    for record in caplog.records:
        text = record.getMessage() + repr(vars(record))
        request = getattr(record, "request", None)
        if request is not None:
            text += repr(request.META)
        for secret in (IP, UA, REFERRER, receipt, WHAT):
            assert secret not in text, (record.name, secret)


@pytest.mark.django_db
def test_outside_the_wbs_the_address_is_still_there(client):
    """The scrubbing is the WBS's alone: the portal's own rate limits still see addresses."""
    seen = {}

    def view_meta(request):  # type: ignore[no-untyped-def]
        seen.update(request.META)

    from django.http import HttpResponse
    from django.test import RequestFactory

    from lapor.wbs.middleware import WbsPrivacyMiddleware

    def respond(request):  # type: ignore[no-untyped-def]
        view_meta(request)
        return HttpResponse()

    middleware = WbsPrivacyMiddleware(respond)
    middleware(RequestFactory().get("/lacak/", REMOTE_ADDR=IP, HTTP_USER_AGENT=UA))
    assert seen["REMOTE_ADDR"] == IP and seen["HTTP_USER_AGENT"] == UA
    seen.clear()
    response = middleware(RequestFactory().get("/en/wbs/", REMOTE_ADDR=IP, HTTP_USER_AGENT=UA))
    assert seen["REMOTE_ADDR"] == "0.0.0.0"  # noqa: S104 - the placeholder
    assert "HTTP_USER_AGENT" not in seen
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_log_filter_drops_a_wbs_request_and_masks_addresses():
    from django.test import RequestFactory

    from lapor.wbs.logs import ForgetWbsRequests

    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s from %s",
        ("/wbs/x/", IP),
        None,
    )
    record.request = RequestFactory().get("/wbs/x/", REMOTE_ADDR=IP)
    assert ForgetWbsRequests().filter(record)
    assert record.request is None and IP not in record.getMessage()
    v6 = logging.LogRecord(
        "lapor",
        logging.INFO,
        __file__,
        1,
        "/wbs/ at 10:06:33 from %s",
        ("2001:db8:85a3::8a2e:370:7334",),
        None,
    )
    ForgetWbsRequests().filter(v6)
    assert v6.getMessage() == "/wbs/ at 10:06:33 from [wbs]"
    assert "forget_wbs" in settings.LOGGING["handlers"]["console"]["filters"]


def test_the_admin_shows_no_wbs_model():
    from django.contrib import admin

    assert not [m for m in admin.site._registry if m._meta.app_label == "wbs"]


@pytest.mark.django_db
def test_rate_limit_keys_hold_no_address(tree, client):
    from django.core.cache import cache

    c = Client(REMOTE_ADDR=IP)
    c.post(reverse("wbs:follow"), {"receipt": "1111222233334444"})
    keys = [k for k in getattr(cache, "_cache", {}) if "wbs:rl" in k]
    assert keys and not [k for k in keys if IP in k or re.search(r"198\W51\W100\W23", k)]


@pytest.mark.django_db
def test_uploads_reach_the_disk_only_encrypted(tree, tmp_path, monkeypatch):
    """Every temporary file the upload path makes is kept (not deleted) in ``tmp_path``: none
    holds the evidence's bytes, and the plaintext never went through Django's own handlers."""
    import tempfile

    import django.core.files.temp

    kept = tmp_path / "kept"
    kept.mkdir()

    def keeping(*args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.update(dir=kept, delete=False)
        return tempfile.NamedTemporaryFile(*args, **kwargs)

    monkeypatch.setattr("lapor.wbs.uploads.tempfile.TemporaryFile", keeping)
    monkeypatch.setattr(django.core.files.temp, "NamedTemporaryFile", keeping)
    submit_case(Client())
    written = [p.read_bytes() for p in kept.iterdir()]
    assert written, "the upload went through a temporary file"
    for data in written:
        assert EVIDENCE[:48] not in data and EVIDENCE[70_000:70_048] not in data
