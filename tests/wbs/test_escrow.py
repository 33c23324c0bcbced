"""The optional national escrow: every case key also sealed to an offline key, which can give a
case to an inspector when no recipient can open it any more."""

from __future__ import annotations

import base64
import io
import sys

import pytest
from django.core.management import CommandError, call_command
from nacl.public import PrivateKey

from lapor.config import ConfigError, read
from lapor.wbs import selectors, services
from lapor.wbs.models import PersonKey
from tests.wbs.conftest import PASSPHRASE, WHAT, file_case, inspector

pytestmark = pytest.mark.django_db


@pytest.fixture
def escrow(settings):  # type: ignore[no-untyped-def]
    private = PrivateKey.generate()
    settings.LAPOR_WBS_ESCROW_PUBLIC_KEY = base64.b64encode(bytes(private.public_key)).decode()
    return base64.b64encode(bytes(private)).decode()


def _reseal(monkeypatch, key: str, case: str, username: str) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "stdin", io.StringIO(key + "\n"))
    out = io.StringIO()
    call_command("wbs_escrow_reseal", case, username, stdout=out)
    return out.getvalue()


def test_without_escrow_no_case_key_is_sealed_to_it(tree):
    assert file_case(tree).case.escrow_sealed is None


def test_the_escrow_key_gives_a_lost_case_to_a_new_inspector(tree, escrow, monkeypatch):
    case = file_case(tree).case
    assert case.escrow_sealed
    # the only recipient loses both passphrase and recovery key
    PersonKey.objects.filter(user=tree.demak_inspector).delete()
    newcomer = inspector(tree.demak, "inspektur-demak-pengganti")
    assert "sealed to inspektur-demak-pengganti" in _reseal(
        monkeypatch, escrow, case.public_id, newcomer.username
    )
    person = services.person_unlock(user=newcomer, passphrase=PASSPHRASE)
    private = services.case_private_key(case=case, user=newcomer, person_private=person)
    assert selectors.recipient_view(case, private)["content"]["what"] == WHAT
    assert case.events.order_by("-seq").first().action == "escrow_reseal"


def test_a_wrong_escrow_key_or_an_outsider_is_refused(tree, escrow, monkeypatch):
    case = file_case(tree).case
    newcomer = inspector(tree.demak, "inspektur-demak-pengganti")
    other = base64.b64encode(bytes(PrivateKey.generate())).decode()
    with pytest.raises(CommandError, match="does not open"):
        _reseal(monkeypatch, other, case.public_id, newcomer.username)
    with pytest.raises(CommandError, match="not an inspector"):
        _reseal(monkeypatch, escrow, case.public_id, tree.kudus_inspector.username)
    with pytest.raises(CommandError, match="not an inspector"):
        _reseal(monkeypatch, escrow, case.public_id, tree.demak_admin.username)


def test_a_malformed_escrow_key_stops_the_start_naming_the_setting():
    with pytest.raises(ConfigError, match="WBS_ESCROW_PUBLIC_KEY"):
        read({"WBS_ESCROW_PUBLIC_KEY": "bukan-kunci"})
    assert read({"WBS_ESCROW_PUBLIC_KEY": ""}).wbs_escrow_public_key == ""


def test_keygen_prints_a_usable_pair():
    out = io.StringIO()
    call_command("wbs_escrow_keygen", stdout=out)
    public_line, private_line = out.getvalue().splitlines()
    public = public_line.split("=", 1)[1]
    private = base64.b64decode(private_line.split(": ", 1)[1])
    assert base64.b64decode(public) == bytes(PrivateKey(private).public_key)
    assert read({"WBS_ESCROW_PUBLIC_KEY": public}).wbs_escrow_public_key == public


def test_lapor_wbs_verify_names_a_broken_case(tree):
    from lapor.wbs.models import Event

    case = file_case(tree).case
    out = io.StringIO()
    call_command("wbs_verify", stdout=out)
    assert "intact: 1 cases" in out.getvalue()
    Event.objects.filter(case=case, seq=1).update(action="dibaca")
    with pytest.raises(CommandError, match=case.public_id):
        call_command("wbs_verify")
