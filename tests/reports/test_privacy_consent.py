"""Anonim and rahasia protect the reporter: officers may add them, only the reporter may lift
them (from their own track page), and the reporter hears of every change, whoever made it."""

from __future__ import annotations

import pytest

from lapor.agencies.models import Membership
from lapor.core.errors import NotAllowed, ValidationFailed
from lapor.notifications.models import Notification
from lapor.notifications.services import notify_privacy_change
from lapor.reports import services
from lapor.reports.lifecycle import Action, Status
from lapor.reports.models import Report, ReportEvent
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, UserFactory, national_admin, officer, submit
from tests.portal.conftest import page
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

NAME = "Siti Aminah"
EMAIL = "siti@contoh.id"
PRIVACY_ACTIONS = (Action.SET_PRIVACY, Action.PRIVACY_CONSENT)


@pytest.fixture
def kab():  # type: ignore[no-untyped-def]
    return AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")


def _protected(kab):  # type: ignore[no-untyped-def]
    """A disposed report, anonim and rahasia (the defaults), of a named guest reporter."""
    return report_in(Status.DISPOSED, agency=kab, contact_name=NAME, contact_email=EMAIL)


def _privacy_events(report: Report) -> int:
    return ReportEvent.objects.filter(report=report, action__in=PRIVACY_ACTIONS).count()


def _told(report: Report) -> list[Notification]:
    return list(Notification.objects.filter(report=report, kind__in=PRIVACY_ACTIONS))


@pytest.mark.parametrize("role", ["national_admin", Membership.Role.AGENCY_ADMIN])
@pytest.mark.parametrize(
    ("anonymous", "confidential"), [(False, False), (False, True), (True, False)]
)
def test_no_officer_can_lift_anonim_or_rahasia(kab, role, anonymous, confidential):
    # Given an anonim, rahasia report at an agency
    report, _ = _protected(kab)
    actor = national_admin() if role == "national_admin" else officer(kab, role)
    # When an officer tries to lift either protection
    with pytest.raises(NotAllowed) as refused:
        services.report_set_privacy(
            report=report, actor=actor, is_anonymous=anonymous, is_confidential=confidential
        )
    # Then they are refused in Indonesian, nothing changes and nothing is written or sent
    assert refused.value.code == "privacy_lift_needs_reporter"
    assert "persetujuan pelapor" in refused.value.message
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.is_anonymous and fresh.is_confidential
    assert _privacy_events(report) == 0 and _told(report) == []


def test_the_back_office_form_only_adds_and_a_forged_lift_is_refused(client, kab):
    # Given an agency admin at the page of a report that is anonim but not rahasia
    report, _ = _protected(kab)
    Report.objects.filter(pk=report.pk).update(is_confidential=False)
    sign_in(client, officer(kab))
    url = f"/kantor/laporan/{report.tracking_id}/"
    html = client.get(url).content.decode()
    # Then the form offers to make it rahasia, and no way to lift anonim
    assert 'id="priv-conf"' in html and 'id="priv-anon"' not in html
    assert 'type="hidden" name="is_anonymous" value="1"' in html
    # When a forged post lifts anonim
    response = client.post(f"{url}set_privacy/", {"is_confidential": "1"})
    # Then the page says why, and the public still does not see the reporter's name
    assert response.status_code == 400
    assert "hanya dapat menambah perlindungan" in response.content.decode()
    assert Report.objects.get(pk=report.pk).is_anonymous
    assert NAME not in page(client, f"/laporan/{report.tracking_id}/")


def test_an_officer_adding_rahasia_tells_the_reporter(client, kab):
    # Given a public report with the reporter's name on it
    report, _ = _protected(kab)
    Report.objects.filter(pk=report.pk).update(is_anonymous=False, is_confidential=False)
    report.refresh_from_db()
    assert NAME in page(client, f"/laporan/{report.tracking_id}/")
    # When an officer makes it rahasia
    services.report_set_privacy(
        report=report, actor=officer(kab), is_anonymous=False, is_confidential=True
    )
    # Then it leaves the public pages and the reporter gets a message saying what changed
    assert client.get(f"/laporan/{report.tracking_id}/").status_code == 404
    [note] = _told(report)
    assert note.recipient == EMAIL and note.kind == Action.SET_PRIVACY
    assert "Petugas menambah perlindungan" in note.body and "rahasia" in note.body
    assert "halaman laporan Anda" in note.body


def test_an_officer_adding_nothing_is_told_to_choose(kab):
    report, _ = _protected(kab)
    with pytest.raises(ValidationFailed) as refused:
        services.report_set_privacy(
            report=report, actor=officer(kab), is_anonymous=True, is_confidential=True
        )
    assert refused.value.code == "privacy_unchanged"
    assert _privacy_events(report) == 0 and _told(report) == []


def test_the_reporter_lifts_protection_with_their_secret(client, kab):
    # Given an anonim, rahasia report, whose public track page was already seen (and cached)
    report, secret = _protected(kab)
    url = f"/lacak/{report.tracking_id}/"
    assert report.title not in page(client, url)
    # When the reporter opens their page with the secret and agrees to lift both protections
    reporter = type(client)()
    reporter.post(url, {"action": "secret", "secret": secret})
    form = page(reporter, url)
    assert "hanya Anda yang dapat melepasnya" in form
    assert "Bila dilepas, siapa pun dapat membaca" in form
    assert 'name="seen" value="11"' in form
    response = reporter.post(url, {"action": "privacy", "seen": "11", "agree": "on"})
    assert response.status_code == 302
    # Then the report is public with the reporter's name, everywhere the public looks
    fresh = Report.objects.get(pk=report.pk)
    assert not fresh.is_anonymous and not fresh.is_confidential
    assert NAME in page(client, f"/laporan/{report.tracking_id}/")
    assert report.title in page(client, "/laporan/")
    assert report.title in page(client, url)  # the cached page of the old version is not served
    # And the consent is one event that carries no personal data
    event = ReportEvent.objects.get(report=report, action=Action.PRIVACY_CONSENT)
    assert event.actor_role == "reporter" and event.is_internal
    assert event.data == {"anonymous": False, "confidential": False}
    assert NAME not in event.message and EMAIL not in str(event.data)
    # And the reporter gets a confirmation that says what to do had it not been them
    [note] = _told(report)
    assert note.recipient == EMAIL and note.kind == Action.PRIVACY_CONSENT
    assert "Atas persetujuan Anda" in note.body and "terbuka" in note.body
    assert "Bila bukan Anda" in note.body


def test_lifting_needs_the_reporters_explicit_agreement(client, kab):
    report, secret = _protected(kab)
    url = f"/lacak/{report.tracking_id}/"
    client.post(url, {"action": "secret", "secret": secret})
    html = client.post(url, {"action": "privacy", "seen": "11"}).content.decode()
    assert "Centang persetujuan" in html
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.is_anonymous and fresh.is_confidential and _told(report) == []


def test_a_choice_made_on_settings_that_changed_meanwhile_is_asked_again(client, kab):
    # Given the reporter's page showed a public report, then an officer made it rahasia
    report, secret = _protected(kab)
    Report.objects.filter(pk=report.pk).update(is_anonymous=False, is_confidential=False)
    url = f"/lacak/{report.tracking_id}/"
    client.post(url, {"action": "secret", "secret": secret})
    report.refresh_from_db()
    services.report_set_privacy(
        report=report, actor=officer(kab), is_anonymous=False, is_confidential=True
    )
    # When the reporter submits the form they had open (rahasia unchecked)
    html = client.post(url, {"action": "privacy", "seen": "00"}).content.decode()
    # Then they are asked to look again, and the officer's protection stays
    assert "baru saja diubah" in html
    assert Report.objects.get(pk=report.pk).is_confidential


def test_a_stranger_without_the_secret_cannot_lift_protection(client, kab):
    # Given an anonim, rahasia report
    report, _ = _protected(kab)
    url = f"/lacak/{report.tracking_id}/"
    # When somebody holding only the tracking ID posts the consent form
    html = client.post(url, {"action": "privacy", "seen": "11", "agree": "on"}).content.decode()
    # Then they are refused, and nothing changes, is recorded or sent
    assert "Hanya pelapor yang dapat melakukan ini" in html
    fresh = Report.objects.get(pk=report.pk)
    assert fresh.is_anonymous and fresh.is_confidential
    assert _privacy_events(report) == 0 and _told(report) == []
    # Nor with a wrong secret, nor signed in as someone else
    with pytest.raises(NotAllowed):
        services.report_privacy_consent(
            report=report, is_anonymous=False, is_confidential=False, secret="A" * 16
        )
    with pytest.raises(NotAllowed):
        services.report_privacy_consent(
            report=report, is_anonymous=False, is_confidential=False, user=UserFactory()
        )
    assert _privacy_events(report) == 0


def test_a_signed_in_reporter_lifts_anonim_and_keeps_rahasia(client):
    # Given a report filed from an account
    user = UserFactory(first_name="Budi", last_name="Santoso")
    report = submit(reporter=user, contact_name="", contact_email="").report
    # When they lift anonim from their track page
    client.force_login(user)
    url = f"/lacak/{report.tracking_id}/"
    data = {"action": "privacy", "seen": "11", "is_confidential": "on", "agree": "on"}
    assert client.post(url, data).status_code == 302
    # Then the report is still not public, and their account's address is told
    fresh = Report.objects.get(pk=report.pk)
    assert not fresh.is_anonymous and fresh.is_confidential
    [note] = _told(report)
    assert note.recipient == user.email and "rahasia" in note.body


def test_the_reporter_may_add_protection_themselves(kab):
    report, secret = _protected(kab)
    Report.objects.filter(pk=report.pk).update(is_anonymous=False, is_confidential=False)
    report.refresh_from_db()
    services.report_privacy_consent(
        report=report, is_anonymous=True, is_confidential=False, secret=secret
    )
    assert Report.objects.get(pk=report.pk).is_anonymous
    event = ReportEvent.objects.get(report=report, action__in=PRIVACY_ACTIONS)
    assert event.action == Action.SET_PRIVACY and event.actor_role == "reporter"
    [note] = _told(report)
    assert "anonim" in note.body


@pytest.mark.parametrize("by", ["officer", "reporter"])
@pytest.mark.parametrize("anonymous", [True, False])
@pytest.mark.parametrize("confidential", [True, False])
def test_every_privacy_sms_fits_in_one_message(by, anonymous, confidential):
    report = submit(contact_email="", contact_phone="081234567890").report
    event = ReportEvent(
        report=report,
        action=Action.SET_PRIVACY,
        actor_role="reporter" if by == "reporter" else "agency_admin",
        data={"anonymous": anonymous, "confidential": confidential},
    )
    [note] = notify_privacy_change(report, event)
    assert note.channel == Notification.Channel.SMS
    assert len(note.body) <= 160 and note.body.isascii() and note.body.startswith("LAPOR! ")
