"""Keys held while someone works: encrypted in the session under a key kept only in a cookie."""

from __future__ import annotations

import base64
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from lapor.wbs import keyring, services
from tests.backoffice.conftest import sign_in
from tests.wbs.conftest import PASSPHRASE, file_case

pytestmark = pytest.mark.django_db


def test_the_session_alone_does_not_hold_the_unlocked_key(tree):
    case = file_case(tree).case
    staff = sign_in(Client(), tree.demak_inspector)
    staff.post(reverse("wbs:unlock"), {"passphrase": PASSPHRASE})
    url = reverse("wbs:staff_case", args=[case.public_id])
    assert staff.get(url).status_code == 200
    private = services.person_unlock(user=tree.demak_inspector, passphrase=PASSPHRASE)
    stored = repr([s.get_decoded() for s in Session.objects.all()])
    for form in (private.hex(), base64.b64encode(private).decode(), repr(private)):
        assert form not in stored
    # without the cookie the session's copy is useless: the passphrase is asked again
    del staff.cookies[keyring.COOKIE]
    assert staff.get(url).status_code == 302


def test_a_held_key_expires_when_idle(tree, monkeypatch):
    case = file_case(tree).case
    staff = sign_in(Client(), tree.demak_inspector)
    staff.post(reverse("wbs:unlock"), {"passphrase": PASSPHRASE})
    url = reverse("wbs:staff_case", args=[case.public_id])
    assert staff.get(url).status_code == 200
    later = time.time() + keyring.IDLE_SECONDS + 5
    monkeypatch.setattr(keyring.time, "time", lambda: later)
    assert staff.get(url).status_code == 302


def test_english_wbs_pages_are_scrubbed_too(tree):
    response = Client().get("/en/wbs/")
    assert response.status_code == 200 and response["Referrer-Policy"] == "no-referrer"
    assert '<html lang="en">' in response.content.decode()


def test_a_tampered_case_shows_a_warning_not_its_content(tree):
    from lapor.wbs.models import Case

    case = file_case(tree).case
    raw = bytearray(bytes(case.content))
    raw[70] ^= 0x01
    Case.objects.filter(pk=case.pk).update(content=bytes(raw))
    staff = sign_in(Client(), tree.demak_inspector)
    staff.post(reverse("wbs:unlock"), {"passphrase": PASSPHRASE})
    response = staff.get(reverse("wbs:staff_case", args=[case.public_id]))
    assert response.status_code == 500
    assert "tidak dapat diverifikasi" in response.content.decode()


def test_evidence_of_a_case_is_404_to_others(tree):
    from tests.wbs.conftest import evidence

    case = file_case(tree, files=[evidence(b"isi berkas bukti" * 1000)]).case
    file_id = case.files.get().pk
    for user in (tree.demak_admin, tree.national_admin, tree.kudus_inspector):
        staff = sign_in(Client(), user)
        staff.post(reverse("wbs:unlock"), {"passphrase": PASSPHRASE})
        url = reverse("wbs:staff_file", args=[case.public_id, file_id])
        assert staff.get(url).status_code == 404
