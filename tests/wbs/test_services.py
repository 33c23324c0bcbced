"""Recipients' keys, filing a case, who receives it, messages, stages and the audit trail."""

from __future__ import annotations

import os

import pytest

from lapor.core.errors import NotFound, ValidationFailed
from lapor.notifications.models import Notification
from lapor.wbs import crypto, events, selectors, services
from lapor.wbs.error_codes import WbsErrorCode
from lapor.wbs.models import Case, CaseKey, Event, Stage
from tests.wbs.conftest import CONTACT, HOW, NAME, PASSPHRASE, WHAT, evidence, file_case

pytestmark = pytest.mark.django_db


def _read(case, user, passphrase=PASSPHRASE):  # type: ignore[no-untyped-def]
    person = services.person_unlock(user=user, passphrase=passphrase)
    return selectors.recipient_view(
        case, services.case_private_key(case=case, user=user, person_private=person)
    )


def test_the_inspectorate_of_the_agency_concerned_reads_the_case(tree):
    data = os.urandom(150_000)
    sub = file_case(tree, files=[evidence(data)], identity={"name": NAME, "contact": CONTACT})
    case = sub.case
    assert case.handled_by == tree.demak and case.stage == Stage.RECEIVED
    assert case.deadline_at is not None
    assert set(CaseKey.objects.filter(case=case).values_list("user__username", flat=True)) == {
        "inspektur-demak"
    }
    view = _read(case, tree.demak_inspector)
    assert view["content"]["what"] == WHAT and view["identity"]["name"] == NAME
    person = services.person_unlock(user=tree.demak_inspector, passphrase=PASSPHRASE)
    private = services.case_private_key(case=case, user=tree.demak_inspector, person_private=person)
    meta, chunks = selectors.open_file(case, private, view["files"][0].id)
    assert meta.name == "bukti-kuitansi.pdf" and b"".join(chunks) == data


@pytest.mark.parametrize("accused", ["pimpinan", "inspektorat"])
def test_when_the_head_or_the_inspectorate_is_accused_the_province_receives_it(tree, accused):
    case = file_case(tree, accused=accused).case
    assert case.handled_by == tree.province
    assert list(CaseKey.objects.filter(case=case).values_list("user", flat=True)) == [
        tree.province_inspector.pk
    ]


def test_without_a_provincial_inspectorate_the_national_team_receives_it(tree):
    tree.province_inspector.memberships.update(is_active=False)
    case = file_case(tree, accused="inspektorat").case
    assert case.handled_by == tree.national


def test_an_inspector_who_also_works_in_the_accused_agency_is_not_a_recipient(tree):
    from tests.factories import MembershipFactory

    MembershipFactory(agency=tree.dinas, user=tree.demak_inspector, role="pic_unit")
    case = file_case(tree).case
    assert case.handled_by == tree.province


def test_nobody_outside_the_recipients_finds_the_case(tree):
    case = file_case(tree).case
    for user in (
        tree.demak_admin,
        tree.dinas_officer,
        tree.national_admin,
        tree.kudus_inspector,
        tree.province_inspector,
        tree.national_inspector,
    ):
        with pytest.raises(NotFound):
            services.recipient_case(public_id=case.public_id, user=user)
    assert services.recipient_case(public_id=case.public_id, user=tree.demak_inspector) == case
    # an inspector who leaves the inspectorate loses the case
    tree.demak_inspector.memberships.update(is_active=False)
    with pytest.raises(NotFound):
        services.recipient_case(public_id=case.public_id, user=tree.demak_inspector)


def test_the_receipt_opens_the_case_and_a_wrong_one_is_refused(tree):
    sub = file_case(tree)
    case, private = services.case_open_by_receipt(receipt=sub.receipt)
    assert case == sub.case
    assert crypto.unseal_json(private, bytes(case.content))["how"] == HOW
    spaced = " ".join(sub.receipt[i : i + 4] for i in range(0, 16, 4))
    assert services.case_open_by_receipt(receipt=spaced)[0] == sub.case
    wrong = str((int(sub.receipt) + 1) % 10**16).zfill(16)
    with pytest.raises(NotFound) as caught:
        services.case_open_by_receipt(receipt=wrong)
    assert caught.value.code == WbsErrorCode.RECEIPT_WRONG


def test_the_receipt_is_stored_only_as_a_keyed_index_and_a_slow_hash(tree):
    sub = file_case(tree)
    row = Case.objects.filter(pk=sub.case.pk).values().get()
    for value in row.values():
        text = bytes(value).hex() if isinstance(value, bytes | memoryview) else str(value)
        assert sub.receipt not in text


def test_changing_the_passphrase_keeps_every_case_readable(tree):
    case = file_case(tree).case
    recovery = services.person_key_change(
        user=tree.demak_inspector,
        passphrase=PASSPHRASE,
        new_passphrase="frasa sandi yang baru sekali",
    )
    assert len(recovery) > 40
    assert (
        _read(case, tree.demak_inspector, "frasa sandi yang baru sekali")["content"]["what"] == WHAT
    )
    with pytest.raises(ValidationFailed) as caught:
        services.person_unlock(user=tree.demak_inspector, passphrase=PASSPHRASE)
    assert caught.value.code == WbsErrorCode.PASSPHRASE_WRONG


def test_the_recovery_key_replaces_a_forgotten_passphrase_once(tree):
    from lapor.wbs.models import PersonKey

    user = tree.kudus_inspector
    PersonKey.objects.filter(user=user).delete()
    recovery = services.person_key_create(user=user, passphrase="frasa sandi pertama kudus")
    case = services.case_submit(agency=tree.kudus, accused="pegawai", content={"what": WHAT}).case
    new_recovery = services.person_key_recover(
        user=user, recovery_key=recovery, new_passphrase="frasa sandi kedua kudus"
    )
    assert _read(case, user, "frasa sandi kedua kudus")["content"]["what"] == WHAT
    with pytest.raises(ValidationFailed) as caught:  # the used recovery key no longer works
        services.person_key_recover(user=user, recovery_key=recovery, new_passphrase="x" * 20)
    assert caught.value.code == WbsErrorCode.RECOVERY_KEY_WRONG
    assert new_recovery != recovery


def test_a_short_passphrase_is_refused_with_what_to_do(tree):
    from tests.factories import UserFactory

    with pytest.raises(ValidationFailed) as caught:
        services.person_key_create(user=UserFactory(), passphrase="pendek")
    assert caught.value.code == WbsErrorCode.PASSPHRASE_WEAK and "12" in caught.value.message


def test_a_tampered_case_text_is_detected(tree):
    case = file_case(tree).case
    raw = bytearray(bytes(case.content))
    raw[80] ^= 0xFF
    Case.objects.filter(pk=case.pk).update(content=bytes(raw))
    case.refresh_from_db()
    with pytest.raises(crypto.Tampered):
        _read(case, tree.demak_inspector)


def test_messages_go_both_ways_and_notifications_say_only_that_there_is_something(tree):
    sub = file_case(tree)
    case = sub.case
    services.message_send(
        case=case, user=tree.demak_inspector, text="Kapan tepatnya di bulan Oktober?"
    )
    opened, private = services.case_open_by_receipt(receipt=sub.receipt)
    assert [m.text for m in selectors.whistleblower_view(opened, private)["thread"]] == [
        "Kapan tepatnya di bulan Oktober?"
    ]
    services.message_send(case=opened, text="Tanggal 5, 12 dan 19 Oktober 2026.")
    view = _read(case, tree.demak_inspector)
    assert [m.author for m in view["thread"]] == ["pemeriksa", "pelapor"]
    notes = list(Notification.objects.filter(kind="wbs_new"))
    assert len(notes) == 2  # the new case and the whistleblower's answer
    for note in notes:
        assert note.report_id is None and note.recipient == tree.demak_inspector.email
        for secret in (WHAT, "Oktober", case.public_id, NAME):
            assert secret not in note.body and secret not in note.subject


def test_stages_move_forward_with_deadlines_and_conclude_with_an_outcome(tree):
    case = file_case(tree).case
    user = tree.demak_inspector
    with pytest.raises(ValidationFailed):
        services.stage_change(case=case, user=user, to=Stage.INVESTIGATION)
    services.stage_change(case=case, user=user, to=Stage.VERIFICATION)
    first = case.deadline_at
    services.stage_change(case=case, user=user, to=Stage.INVESTIGATION)
    assert case.deadline_at > first
    with pytest.raises(ValidationFailed):
        services.stage_change(case=case, user=user, to=Stage.CONCLUDED)
    services.stage_change(case=case, user=user, to=Stage.CONCLUDED, outcome="dilimpahkan_aph")
    assert (case.stage, case.outcome, case.deadline_at) == (
        Stage.CONCLUDED,
        "dilimpahkan_aph",
        None,
    )
    with pytest.raises(ValidationFailed):
        services.message_send(case=case, text="masih ada?")


def test_every_action_is_in_a_hash_chain_without_plaintext(tree):
    sub = file_case(tree, identity={"name": NAME, "contact": CONTACT})
    case = sub.case
    services.case_read(case=case, user=tree.demak_inspector)
    services.message_send(case=case, user=tree.demak_inspector, text="Mohon kirim foto kuitansi.")
    services.stage_change(case=case, user=tree.demak_inspector, to=Stage.VERIFICATION)
    case.refresh_from_db()
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["received", "assigned", "read", "message", "stage"]
    assert events.verify_chain(case)
    dump = repr(list(Event.objects.values()))
    for secret in (WHAT, NAME, CONTACT, "foto kuitansi", sub.receipt):
        assert secret not in dump
    # editing an old event breaks the chain
    Event.objects.filter(case=case, seq=2).update(role="admin")
    assert not events.verify_chain(case)


def test_wbs_content_never_becomes_a_report(tree):
    from lapor.reports.models import Report

    file_case(tree)
    assert Report.objects.count() == 0


def test_a_recipient_shares_the_case_with_a_colleague_who_set_up_a_key_later(tree):
    from tests.wbs.conftest import inspector

    case = file_case(tree).case
    colleague = inspector(tree.demak, "inspektur-demak-baru")
    assert services.share_candidates(case) == [colleague]
    person = services.person_unlock(user=tree.demak_inspector, passphrase=PASSPHRASE)
    services.case_share(case=case, user=tree.demak_inspector, person_private=person, to=colleague)
    assert _read(case, colleague)["content"]["what"] == WHAT
    assert services.share_candidates(case) == []
    assert list(case.events.values_list("action", flat=True))[-1] == "shared"
    # nobody outside the inspectorate can be added
    with pytest.raises(ValidationFailed):
        services.case_share(
            case=case, user=tree.demak_inspector, person_private=person, to=tree.kudus_inspector
        )


def test_the_platform_wide_chain_shows_a_whole_case_removed(tree):
    first = file_case(tree).case
    second = file_case(tree).case
    services.case_read(case=first, user=tree.demak_inspector)
    assert events.verify_all()
    assert list(Event.objects.order_by("global_seq").values_list("global_seq", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    # someone deletes the second case and all its events: its own chain vanishes with it,
    # but the platform-wide chain no longer adds up
    Event.objects.filter(case=second).delete()
    assert events.verify_chain(first) and not events.verify_all()
