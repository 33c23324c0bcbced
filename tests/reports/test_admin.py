"""The read-only admin: national admins see reports, their timeline and notifications; nobody
changes a report here; staff without a role get nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from lapor.accounts.models import User
from lapor.agencies.models import Membership
from lapor.notifications.delivery import deliver
from lapor.notifications.models import Notification
from lapor.reports import services
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report
from tests.accounts.signed_in import admin_session
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, national_admin, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports() -> list[Report]:
    disposed = submit().report
    services.report_dispose(report=disposed, to_agency=AgencyFactory(), actor=national_admin())
    public = submit(title="Lampu jalan padam di Jalan Merdeka", is_confidential=False).report
    third = submit(title="Sampah menumpuk di pasar").report
    return [disposed, public, third]


def _superuser(*, national: bool = True) -> User:
    user = UserFactory(username="super", is_staff=True, is_superuser=True)
    if national:
        root = AgencyFactory(code="kemenpanrb", kind="national")
        MembershipFactory(user=user, agency=root, role=Membership.Role.NATIONAL_ADMIN)
    return user


def _client(user: User) -> Client:
    return admin_session(Client(), user)


def _shown(tracking_id: str) -> str:
    return "-".join(tracking_id[i : i + 4] for i in range(0, 12, 4))


def test_changelist_lists_reports_and_finds_a_displayed_tracking_id(reports: list[Report]) -> None:
    # given a superuser who is a national admin
    client = _client(_superuser())
    url = reverse("admin:reports_report_changelist")
    # when the report list is opened
    response = client.get(url)
    # then every report is listed, with no way to add one
    assert response.status_code == 200
    for report in reports:
        assert report.tracking_id in response.text
    assert reverse("admin:reports_report_add") not in response.text
    # and searching the tracking ID as citizens see it finds exactly that report
    found = client.get(url, {"q": _shown(reports[1].tracking_id).lower()})
    assert found.status_code == 200
    assert reports[1].tracking_id in found.text
    assert reports[0].tracking_id not in found.text


def test_change_view_shows_the_timeline_read_only(reports: list[Report]) -> None:
    # given the disposed report (submit + dispose events)
    client = _client(_superuser())
    report = reports[0]
    url = reverse("admin:reports_report_change", args=[report.pk])
    # when its page is opened
    response = client.get(url)
    # then the timeline is there, and nothing can be saved or deleted
    assert response.status_code == 200
    assert str(Action.SUBMIT.label) in response.text
    assert str(Action.DISPOSE.label) in response.text
    assert 'name="_save"' not in response.text
    assert reverse("admin:reports_report_delete", args=[report.pk]) not in response.text
    # and a POST changes nothing
    refused = client.post(url, {"title": "Judul diganti lewat admin"})
    assert refused.status_code == 403
    report.refresh_from_db()
    assert report.title == "Jalan rusak di depan pasar"


def test_a_confidential_report_opens_without_its_content_or_a_recorded_view(
    reports: list[Report],
) -> None:
    # given a rahasia report with one event
    client = _client(_superuser())
    report = reports[2]
    assert report.is_confidential and report.event_count == 1
    # when a national admin opens it in the admin
    response = client.get(reverse("admin:reports_report_change", args=[report.pk]))
    # then its routing and times are there, but not its title: nothing to record as a view
    assert response.status_code == 200
    assert _shown(report.tracking_id) in response.text
    assert report.title not in response.text
    assert report.events.count() == 1


def test_national_admin_staff_sees_reports_and_events(reports: list[Report]) -> None:
    # given a staff account whose only power is a national-admin membership
    admin_user = national_admin()
    User.objects.filter(pk=admin_user.pk).update(is_staff=True)
    client = _client(User.objects.get(pk=admin_user.pk))
    # when they open the report list, the event list and the notification list
    pages = [
        reverse("admin:reports_report_changelist"),
        reverse("admin:reports_reportevent_changelist"),
        reverse("admin:notifications_notification_changelist"),
    ]
    # then each page renders
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_staff_without_permission_is_refused(reports: list[Report]) -> None:
    # given a staff account with no permission and no role
    client = _client(UserFactory(username="staf", is_staff=True))
    # when they try the report pages, then they are refused
    for url in [
        reverse("admin:reports_report_changelist"),
        reverse("admin:reports_report_change", args=[reports[1].pk]),
        reverse("admin:reports_reportevent_changelist"),
        reverse("admin:notifications_notification_changelist"),
    ]:
        assert client.get(url).status_code == 403, url
    # and an account that is not staff is sent to the login page
    citizen = _client(UserFactory(username="warga"))
    response = citizen.get(reverse("admin:reports_report_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_event_admin_renders_an_event(reports: list[Report]) -> None:
    # given a superuser who is a national admin
    client = _client(_superuser())
    event = reports[1].events.get(seq=1)
    # when an event of a public report is opened, then its chain fields are shown
    response = client.get(reverse("admin:reports_reportevent_change", args=[event.pk]))
    assert response.status_code == 200
    assert event.hash in response.text


def test_send_again_requeues_a_failed_notification(reports: list[Report]) -> None:
    # given a notification to the reporter that failed for good
    notification = Notification.objects.filter(report=reports[0]).order_by("pk").first()
    assert notification is not None
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.FAILED, attempts=5, last_error="SMTPException: gagal"
    )
    client = _client(_superuser())
    # (the delivery jobs written with the notifications have run)
    deliveries = DBTaskResult.objects.filter(task_path__endswith="deliver_notifications")
    deliveries.update(status="SUCCESSFUL")
    # when a national admin chooses "send again"
    response = client.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "send_again", "_selected_action": [notification.pk]},
        follow=True,
    )
    # then it is back in the queue, told as such, and a delivery job is waiting for it
    assert "1 notifikasi dijadwalkan untuk dikirim ulang" in response.text
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.PENDING, 0)
    [job] = deliveries.filter(status="READY")
    assert job.args_kwargs["args"] == [[notification.pk]]
    # and delivering it sends it
    assert deliver([notification.pk]) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
