"""The back office in English: an officer switches language like a citizen on the portal, and
the queue and the report page then speak English in their navigation, headings, labels and
buttons (the report's own text, agency and region names stay as they were written)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.utils import translation

from lapor.core import ids
from lapor.reports.lifecycle import Status
from tests.backoffice.conftest import sign_in
from tests.factories import AgencyFactory, UnitFactory, officer
from tests.reports.states import report_in

pytestmark = pytest.mark.django_db

# The page's own words: navigation, headings, labels, buttons, table heads, options, statuses.
CHROME = re.compile(
    r"<(nav|h1|h2|h3|label|button|th|option|strong|title)\b[^>]*>(.*?)</\1>", re.S | re.I
)


def _chrome(html: str) -> list[str]:
    texts = []
    for _tag, inner in CHROME.findall(html):
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", inner)).split())
        if text:
            texts.append(text)
    return texts


def _left_in_indonesian(html: str) -> list[str]:
    """The page's own words that the English catalogue translates but the page did not: each
    piece of chrome (and each nav link without its count) that is still a catalogue msgid."""
    pieces = []
    for text in _chrome(html):
        pieces += [text, *re.split(r"\s+\d+\s*", text)]  # "Kotak masuk instansi 3 Tugas unit 0"
    with translation.override("en"):
        return sorted({p for p in pieces if p and translation.gettext(p) != p})


@pytest.fixture
def english_officer(client):  # type: ignore[no-untyped-def]
    """An agency admin with a report in the inbox, who chose English with the switch."""
    kab = AgencyFactory(code="pemkab-3321", name="Pemerintah Kabupaten Demak")
    UnitFactory(parent=kab, code="pemkab-3321-dpu", name="Dinas PU Demak")
    report, _ = report_in(Status.DISPOSED, agency=kab)
    sign_in(client, officer(kab))
    page = client.get("/kantor/antrean/masuk/").content.decode()
    # the switch is on the page: a button per language, posting this page's English address
    switch = page.split('<div class="lang"')[1].split("</div>")[0]
    assert '<strong lang="id" aria-current="true">Bahasa Indonesia</strong>' in switch
    assert '<input name="next" type="hidden" value="/en/kantor/antrean/masuk/">' in switch
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/en/kantor/antrean/masuk/"}
    )
    assert response.status_code == 302 and response["Location"] == "/en/kantor/antrean/masuk/"
    return client, report


def test_the_queue_speaks_english(english_officer):
    client, report = english_officer
    html = client.get("/en/kantor/antrean/masuk/").content.decode()
    assert '<html lang="en">' in html
    for english in (
        "Back office",
        "Agency inbox",
        "Unit tasks",
        "Awaiting reporter",
        "Overdue",
        "Log out",
        "Search title or text",
        "Apply",
        "Clear filters",
        "Nearest deadline first",
        "Forward the selected reports to unit",
        "Forward selected",
        "Sent to an agency",  # the report's status
    ):
        assert english in html, english
    assert re.search(r"due in \d working days?", html)
    assert not _left_in_indonesian(html)
    # the navigation keeps the officer in English, and the switch leads back
    assert 'href="/en/kantor/antrean/tugas/"' in html
    assert f'href="/en/kantor/laporan/{report.tracking_id}/"' in html
    assert '<strong lang="en" aria-current="true">English</strong>' in html
    assert '<input name="next" type="hidden" value="/kantor/antrean/masuk/">' in html


def test_the_report_page_and_its_actions_speak_english(english_officer):
    client, report = english_officer
    html = client.get(f"/en/kantor/laporan/{report.tracking_id}/").content.decode()
    for english in (
        "Actions",
        "History",
        "Forward to a unit",
        "Follow-up (answer to the reporter)",
        "Ask the reporter for clarification",
        "Put on hold",
        "Not our authority: return to national triage",
        "Not our authority: forward to another agency",
        "The agency you think has authority (optional)",
        "Search agencies",
        "Internal note",
        "Save note",
        "Merge as a duplicate",
        "Archive report",
    ):
        assert english in html, english
    assert not _left_in_indonesian(html)
    # an action taken in English lands back on the English page, confirmed in English
    response = client.post(
        f"/en/kantor/laporan/{report.tracking_id}/note/", {"note": "Cek lapangan besok."}
    )
    assert response["Location"] == f"/en/kantor/laporan/{report.tracking_id}/"
    html = client.get(response["Location"]).content.decode()
    assert f"Internal note: {ids.display(report.tracking_id)}." in html


def test_a_refused_action_is_explained_in_english(english_officer):
    client, report = english_officer
    base = f"/en/kantor/laporan/{report.tracking_id}/"
    # a refusal by the report service, next to its form
    response = client.post(base + "follow_up/", {"message": "ok"})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Follow-up must be at least 20 characters long." in html
    assert html.index('id="act-follow_up"') < html.index("at least 20 characters")
    assert "paling sedikit" not in html
    # a move the lifecycle forbids (nothing is on hold)
    html = unescape(client.post(base + "resume/", {"reason": ""}).content.decode())
    assert (
        "The action 'Resumed' cannot be taken on a report with the status 'Sent to an agency'."
        in html
    )
    # a form filled in before the report changed (the view's own refusal)
    response = client.post(
        base + "archive/", {"reason": "A duplicate that is handled.", "version": "1.0"}
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Another officer has just changed this report. Check the history below" in html
    report.refresh_from_db()
    assert report.status == Status.DISPOSED


def test_the_check_sees_an_untranslated_label():
    # the helper itself: Indonesian chrome is caught, English chrome and data are not
    html = (
        "<nav><a>Kotak masuk instansi <span>3</span></a><a>Agency inbox 2</a></nav>"
        "<h3>Tunda laporan</h3><button>Save note</button><label>Pemerintah Kabupaten Demak</label>"
    )
    assert _left_in_indonesian(html) == ["Kotak masuk instansi", "Tunda laporan"]
