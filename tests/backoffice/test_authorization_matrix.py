"""Every back-office view and action by every role by a report inside and outside the officer's
subtree. Outside answers 404 and writes nothing; a visitor or a citizen is sent to the sign-in
page; nobody but the right officers ever sees a report's text."""

from __future__ import annotations

import pytest
from django.test import Client

from lapor.accounts.models import User
from lapor.agencies.models import Membership
from lapor.backoffice.views.actions import HANDLERS
from lapor.reports.lifecycle import Status
from lapor.reports.models import Report
from lapor.reports.permissions import ROLE_ACTIONS
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, UnitFactory, UserFactory, national_admin, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

Role = Membership.Role
ROLES = ["national_admin", "agency_admin", "unit_officer", "inspector", "citizen", "anonymous"]
OFFICER_ROLE = {
    "agency_admin": Role.AGENCY_ADMIN,
    "unit_officer": Role.UNIT_OFFICER,
    "inspector": Role.INSPECTOR,
}
INSIDE_TITLE = "Jembatan Kali Tuntang retak"
OUTSIDE_TITLE = "Pasar Kota Semarang kebanjiran"
QUEUES = ["triase", "masuk", "tugas", "terlambat", "klarifikasi", "ditunda"]
# Enough form input for any action to pass validation if it were allowed.
FORM = {
    "note": "Catatan uji coba untuk matriks.",
    "reason": "Alasan yang cukup panjang untuk tindakan ini.",
    "message": "Jawaban yang cukup panjang untuk tindak lanjut laporan ini.",
    "question": "Mohon kirim foto lokasi yang lebih jelas.",
    "until": "2099-01-01",
    "is_anonymous": "1",
    "is_confidential": "1",
}


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    kab = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    unit = UnitFactory(parent=kab, code="pemkab-3321-dpu", name="Dinas PU Demak")
    kota = AgencyFactory(code="pemkot-3374", name="Pemerintah Kota Semarang")
    kota_unit = UnitFactory(parent=kota, code="pemkot-3374-dpu", name="Dinas PU Semarang")
    inside, _ = report_in(Status.IN_PROGRESS, agency=kab, unit=unit, title=INSIDE_TITLE)
    outside, _ = report_in(Status.IN_PROGRESS, agency=kota, unit=kota_unit, title=OUTSIDE_TITLE)
    return {"kab": kab, "unit": unit, "inside": inside, "outside": outside}


def _client(role: str, world: dict) -> tuple[Client, User | None]:  # type: ignore[type-arg]
    client = Client()
    if role == "anonymous":
        return client, None
    if role == "national_admin":
        user = national_admin()
    elif role == "citizen":
        user = UserFactory()
    else:
        where = world["unit"] if role == "unit_officer" else world["kab"]
        user = officer(where, OFFICER_ROLE[role])
    sign_in(client, user)  # a citizen even gets an authenticator: still no entry
    return client, user


def _shut_out(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and response["Location"].startswith("/kantor/masuk/")


@pytest.mark.parametrize("role", ROLES)
def test_queues_never_show_or_count_another_subtree(role, world):
    client, _ = _client(role, world)
    for slug in QUEUES:
        response = client.get(f"/kantor/antrean/{slug}/")
        html = response.content.decode()
        assert OUTSIDE_TITLE not in html or role == "national_admin", slug
        if role in ("citizen", "anonymous"):
            assert _shut_out(response) and INSIDE_TITLE not in html
    if role in OFFICER_ROLE:
        html = client.get("/kantor/antrean/tugas/").content.decode()
        assert INSIDE_TITLE in html and 'id="count-tugas">1<' in html


@pytest.mark.parametrize("where", ["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
def test_report_page(role, where, world):
    client, _ = _client(role, world)
    report = world[where]
    response = client.get(f"/kantor/laporan/{report.tracking_id}/")
    html = response.content.decode()
    if role in ("citizen", "anonymous"):
        assert _shut_out(response)
    elif where == "outside" and role != "national_admin":
        assert response.status_code == 404
    else:
        assert response.status_code == 200 and report.title in html
    if response.status_code != 200:
        assert INSIDE_TITLE not in html and OUTSIDE_TITLE not in html


@pytest.mark.parametrize("action", sorted(HANDLERS))
@pytest.mark.parametrize("where", ["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
def test_action(role, where, action, world):
    client, _ = _client(role, world)
    report: Report = world[where]
    before = report.event_count
    form = {**FORM, "to_agency": "pemkot-3374", "unit": "pemkab-3321-dpu", "into": "X"}
    response = client.post(f"/kantor/laporan/{report.tracking_id}/{action}/", form)
    html = response.content.decode()
    report.refresh_from_db()
    if role in ("citizen", "anonymous"):
        assert _shut_out(response)
    elif where == "outside" and role != "national_admin":
        assert response.status_code == 404
        assert OUTSIDE_TITLE not in html
    elif role in OFFICER_ROLE and action not in ROLE_ACTIONS[OFFICER_ROLE[role]]:
        # visible, but not theirs to do: refused next to the form, nothing written
        assert response.status_code == 400
        assert 'role="alert"' in html
    if response.status_code in (302, 404) and not (
        role == "national_admin" or (where == "inside" and role in OFFICER_ROLE)
    ):
        assert report.event_count == before
    if response.status_code == 400:
        assert report.event_count == before


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages_only_for_national_admins(role, world):
    client, _ = _client(role, world)
    target = officer(world["kab"])
    pages = [
        client.get("/kantor/petugas/"),
        client.post(f"/kantor/petugas/{target.pk}/autentikator/"),
    ]
    for response in pages:
        if role == "national_admin":
            assert response.status_code == 200
        elif role in ("citizen", "anonymous"):
            assert _shut_out(response)
        else:
            assert response.status_code == 404
    if role != "national_admin":
        assert not target.totpdevice_set.exists()


@pytest.mark.parametrize("role", ROLES)
def test_bulk_actions_never_touch_another_subtree(role, world):
    client, _ = _client(role, world)
    outside: Report = world["outside"]
    before = outside.event_count
    responses = [
        client.post(
            "/kantor/antrean/triase/disposisi/",
            {"reports": [outside.tracking_id], "to_agency": "pemkab-3321"},
        ),
        client.post(
            "/kantor/antrean/masuk/unit/",
            {"reports": [outside.tracking_id], "unit": "pemkab-3321-dpu"},
        ),
    ]
    outside.refresh_from_db()
    if role in ("citizen", "anonymous"):
        assert all(_shut_out(r) for r in responses)
    if role != "national_admin":
        assert outside.event_count == before and outside.agency.code == "pemkot-3374"
    for response in responses:
        assert OUTSIDE_TITLE not in response.content.decode()


@pytest.mark.parametrize("where", ["inside", "outside"])
@pytest.mark.parametrize("role", ROLES)
def test_performance_page(role, where, world):
    """An agency's own performance index: its subtree's officers (a unit's officer only its
    unit) and the national admins; 404 for the rest."""
    client, _ = _client(role, world)
    code = "pemkab-3321" if where == "inside" else "pemkot-3374"
    response = client.get(f"/kantor/kinerja/{code}/")
    if role in ("citizen", "anonymous"):
        assert _shut_out(response)
    elif role == "national_admin" or (where == "inside" and role != "unit_officer"):
        assert response.status_code == 200
    else:
        assert response.status_code == 404
    if role == "unit_officer":
        assert client.get("/kantor/kinerja/pemkab-3321-dpu/").status_code == 200
