"""The WBS pages over HTTP: submit with evidence, the receipt, following a case, the inspector's
pages, and the 404 everyone else gets."""

from __future__ import annotations

import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lapor.wbs.models import Case, EvidenceFile, Stage
from tests.backoffice.conftest import sign_in
from tests.wbs.conftest import HOW, NAME, PASSPHRASE, WHAT, WHEN, WHERE, WHO, file_case

pytestmark = pytest.mark.django_db

EVIDENCE = os.urandom(120_000)


def _form(client: Client, **extra):  # type: ignore[no-untyped-def]
    page = client.get(reverse("wbs:submit"))
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    data = {
        "form_token": token,
        "agency": "pemkab-3321",
        "accused": "pegawai",
        "what": WHAT,
        "who": WHO,
        "where": WHERE,
        "when": WHEN,
        "how": HOW,
        "name": NAME,
        "contact": "",
    }
    data.update(extra)
    return data


def submit_case(client: Client, **extra) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    data = _form(client, **extra)
    data["evidence"] = SimpleUploadedFile("kuitansi.pdf", EVIDENCE, "application/pdf")
    response = client.post(reverse("wbs:submit"), data)
    assert response.status_code == 200, response.content.decode()[:2000]
    shown = re.search(r'id="resi"><strong>([\d ]+)</strong>', response.content.decode()).group(1)
    return shown.replace(" ", ""), response


def test_a_whistleblower_submits_with_evidence_and_gets_a_receipt_once(tree, client):
    receipt, response = submit_case(client)
    assert len(receipt) == 16
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    case = Case.objects.get()
    assert case.handled_by == tree.demak and EvidenceFile.objects.filter(case=case).count() == 1
    # the same form sent again makes no second case
    again = client.post(reverse("wbs:submit"), _form(client) | {"form_token": "lama"})
    assert again.status_code == 400 and Case.objects.count() == 1


def test_the_inspector_unlocks_reads_asks_and_the_whistleblower_answers(tree, client):
    receipt, _ = submit_case(client)
    case = Case.objects.get()
    staff = sign_in(Client(), tree.demak_inspector)
    url = reverse("wbs:staff_case", args=[case.public_id])
    assert staff.get(url).status_code == 302  # locked: to the passphrase form
    wrong = staff.post(reverse("wbs:unlock"), {"passphrase": "bukan frasa sandinya", "next": url})
    assert wrong.status_code == 400 and "Frasa sandi WBS salah" in wrong.content.decode()
    opened = staff.post(reverse("wbs:unlock"), {"passphrase": PASSPHRASE, "next": url})
    assert opened.status_code == 302 and opened["Location"] == url
    page = staff.get(url).content.decode()
    assert WHAT in page and NAME in page and "kuitansi.pdf" in page
    download = staff.get(reverse("wbs:staff_file", args=[case.public_id, case.files.get().pk]))
    assert b"".join(download.streaming_content) == EVIDENCE
    assert download["Content-Type"] == "application/octet-stream"
    staff.post(reverse("wbs:staff_message", args=[case.public_id]), {"text": "Siapa saksinya?"})
    # the whistleblower opens the case with the receipt, reads and answers
    wb = Client()
    assert wb.post(reverse("wbs:follow"), {"receipt": receipt}).status_code == 302
    mine = wb.get(reverse("wbs:case")).content.decode()
    assert "Siapa saksinya?" in mine and WHAT not in mine and NAME not in mine
    wb.post(reverse("wbs:case"), {"text": "Pak Darmo, petugas loket 2."})
    assert "Pak Darmo" in staff.get(url).content.decode()
    for to, outcome in (("verifikasi", ""), ("investigasi", ""), ("selesai", "terbukti")):
        staff.post(
            reverse("wbs:staff_stage", args=[case.public_id]), {"to": to, "outcome": outcome}
        )
    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Stage.CONCLUDED, "terbukti")
    assert "Terbukti" in wb.get(reverse("wbs:case")).content.decode()
    # locking drops the key: the case needs the passphrase again
    staff.post(reverse("wbs:lock"))
    assert staff.get(url).status_code == 302


def test_a_wrong_receipt_is_refused_with_what_to_do(tree, client):
    file_case(tree)
    response = client.post(reverse("wbs:follow"), {"receipt": "1234 5678 9012 3456"})
    assert response.status_code == 400
    assert "Nomor resi tidak dikenali" in response.content.decode()
    assert client.get(reverse("wbs:case")).status_code == 302


@pytest.mark.parametrize(
    "who",
    ["demak_admin", "dinas_officer", "national_admin", "kudus_inspector", "province_inspector"],
)
def test_the_accused_agency_national_admins_and_other_inspectors_get_404(tree, who):
    case = file_case(tree).case
    staff = sign_in(Client(), getattr(tree, who))
    for name in ("staff_case", "staff_message", "staff_stage"):
        url = reverse(f"wbs:{name}", args=[case.public_id])
        response = staff.post(url, {"text": "x"}) if name != "staff_case" else staff.get(url)
        assert response.status_code == 404, (who, name)
    assert case.public_id not in staff.get(reverse("wbs:inbox")).content.decode()


def test_a_signed_in_inspector_of_another_region_with_the_key_open_still_gets_404(tree):
    case = file_case(tree).case
    staff = sign_in(Client(), tree.kudus_inspector)
    staff.post(reverse("wbs:unlock"), {"passphrase": PASSPHRASE})
    assert staff.get(reverse("wbs:staff_case", args=[case.public_id])).status_code == 404


def test_key_setup_shows_the_recovery_key_once_and_recovery_works(tree):
    from tests.factories import MembershipFactory

    user = MembershipFactory(agency=tree.kudus, role="inspektur", user__username="baru").user
    staff = sign_in(Client(), user)
    page = staff.post(
        reverse("wbs:key_setup"),
        {"new_passphrase": "frasa sandi baru kudus", "again": "frasa sandi baru kudus"},
    ).content.decode()
    recovery = re.search(r'id="kunci-pemulihan"><strong>([A-Z2-7-]+)</strong>', page).group(1)
    recovered = staff.post(
        reverse("wbs:key_recover"),
        {
            "recovery_key": recovery,
            "new_passphrase": "frasa sandi ketiga",
            "again": "frasa sandi ketiga",
        },
    )
    assert recovered.status_code == 200 and 'id="kunci-pemulihan"' in recovered.content.decode()
    assert (
        staff.post(reverse("wbs:unlock"), {"passphrase": "frasa sandi ketiga"}).status_code == 302
    )


def test_wbs_pages_set_no_tracking_cookie_and_load_nothing_from_other_sites(tree, client):
    file_case(tree)
    pages = [reverse("wbs:home"), reverse("wbs:submit"), reverse("wbs:follow")]
    for url in pages:
        response = client.get(url)
        assert response["Referrer-Policy"] == "no-referrer"
        html = response.content.decode()
        external = re.findall(r'(?:src|href|action)="((?:https?:)?//[^"]+)"', html)
        assert external == [], (url, external)
    assert set(client.cookies) <= {"sessionid", "csrftoken", "wbs_k"}
    assert not client.cookies["sessionid"]["expires"]  # ends with the browser: no lasting id
    receipt, _ = submit_case(client)
    client.post(reverse("wbs:follow"), {"receipt": receipt})
    cookie = client.cookies["wbs_k"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and not cookie["expires"]
    assert set(client.cookies) <= {"sessionid", "csrftoken", "wbs_k"}


def test_a_file_over_the_limit_is_refused_before_it_is_stored(tree, client, settings):
    settings.LAPOR_MAX_UPLOAD_BYTES = 50_000
    data = _form(client)
    data["evidence"] = SimpleUploadedFile("besar.pdf", EVIDENCE, "application/pdf")
    response = client.post(reverse("wbs:submit"), data)
    assert response.status_code == 400 and "besar.pdf" in response.content.decode()
    assert Case.objects.count() == 0


def test_sharing_with_a_colleague_over_http(tree):
    from tests.wbs.conftest import inspector

    case = file_case(tree).case
    colleague = inspector(tree.demak, "inspektur-demak-baru")
    staff = sign_in(Client(), tree.demak_inspector)
    staff.post(reverse("wbs:unlock"), {"passphrase": PASSPHRASE})
    page = staff.get(reverse("wbs:staff_case", args=[case.public_id])).content.decode()
    assert "inspektur-demak-baru" in page
    response = staff.post(reverse("wbs:staff_share", args=[case.public_id]), {"to": colleague.pk})
    assert response.status_code == 302
    other = sign_in(Client(), colleague)
    other.post(reverse("wbs:unlock"), {"passphrase": PASSPHRASE})
    assert WHAT in other.get(reverse("wbs:staff_case", args=[case.public_id])).content.decode()
