"""No public surface shows what rahasia or anonim protect.

The crawler (``crawler.py``) fetches, as an anonymous visitor, every URL pattern of the URLconf
in both languages (new pages are included without a change here), a search for every marker,
every tracking ID's track page without the secret, and every same-site link on the way; each
response's body and headers must hold none of the markers of ``conftest.World``.

To add a surface that is not a URL pattern with known arguments (an API's query parameters, a
feed with a date in its path), add a function to ``SURFACES``; to fill a new URL argument with
real values, add it to ``arguments``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from urllib.parse import quote, unquote

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory
from tests.privacy_crawl.conftest import Secret, World
from tests.privacy_crawl.crawler import Arguments, Crawl, Page, seed_urls, with_language

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _ in settings.LANGUAGES]
LIMIT = 1000  # the whole reachable site was about 700 pages (Dec 2026)
SEPARATORS = re.compile(r"[\s\-.()/\u00a0]")


def arguments(world: World) -> Arguments:
    """Real values for URL arguments, by name: every report, agency and attachment."""
    return {
        "tracking_id": world.tracking_ids(),
        "code": [agency.code for agency in world.agencies],
        "pk": [str(attachment.pk) for attachment in world.attachments],
    }


def searches(world: World) -> list[str]:
    """The public list searched for every hidden marker and every rahasia tracking ID."""
    words = [s.value for s in world.hidden] + [r.tracking_id for r in world.rahasia()]
    return [f"/laporan/?q={quote(word)}" for word in words]


def tracking(world: World) -> list[str]:
    """The track form, filled with each tracking ID (no secret)."""
    return [f"/lacak/?id={tracking_id}" for tracking_id in world.tracking_ids()]


def well_known(world: World) -> list[str]:
    """Where feeds, sitemaps and APIs usually live: 404 today, crawled when they exist."""
    return ["/robots.txt", "/sitemap.xml", "/feed/", "/rss/", "/atom/", "/api/", "/api/v1/"]


def public_api(world: World) -> list[str]:
    """The JSON API's public reads: lists in small pages (the crawler follows each ``next``
    cursor), searches for every hidden marker and rahasia tracking ID, the similar-reports
    lookup fed each marker. Every report and track URL comes from the URLconf's patterns."""
    words = [s.value for s in world.hidden] + [r.tracking_id for r in world.rahasia()]
    lists = ["/api/v1/reports/?limit=1", "/api/v1/agencies/?limit=5", "/api/v1/categories/"]
    lists += ["/api/v1/regions/", *[f"/api/v1/reports/?status={s}" for s in ("open", "finished")]]
    region = next(iter(world.reports.values())).region_id
    return (
        lists
        + [f"/api/v1/reports/?q={quote(word)}&limit=100" for word in words]
        + [f"/api/v1/reports/similar/?region={region}&text={quote(word)}" for word in words]
    )


def dashboards(world: World) -> list[str]:
    """The dashboards and open data (``lapor.analytics``) of the marked reports' province,
    kabupaten/kota and agencies, from rollups filled with every report (rahasia ones too); the
    crawler follows each page's CSV links."""
    regions = {r.region_id for r in world.reports.values()}
    regencies = {".".join(code.split(".")[:2]) for code in regions}
    provinces = {code.split(".")[0] for code in regions}
    pages = ["/dasbor/", "/dasbor/peringkat/", "/dasbor/peringatan/", "/data/"]
    data = ["/api/v1/data/nasional/"]
    for code in sorted(provinces):
        pages.append(f"/dasbor/provinsi/{code}/")
        data.append(f"/api/v1/data/provinsi/{code}/")
    for code in sorted(regencies):
        pages.append(f"/dasbor/wilayah/{code}/")
        data.append(f"/api/v1/data/wilayah/{code}/")
    for agency in world.agencies:
        pages.append(f"/dasbor/instansi/{agency.code}/")
        data.append(f"/api/v1/data/instansi/{agency.code}/")
    return pages + data


def policy_reports(world: World) -> list[str]:
    """The monthly policy report (``lapor.analytics.policy_report``), made for this month,
    national and the marked reports' provinces, and the automation's accounts (ADR 0020)."""
    from lapor.analytics import automation
    from lapor.analytics.policy_report.archive import make
    from lapor.analytics.selectors import today

    month = today().replace(day=1)
    provinces = sorted({r.region_id.split(".")[0] for r in world.reports.values()})
    for region in ["", *provinces]:
        make(month, region)  # once: a report already archived is left as it is
    automation.refresh(month)
    pages = ["/dasbor/laporan/", "/dasbor/otomasi/"]
    for region in ["nasional", *provinces]:
        pages.append(f"/dasbor/laporan/{month:%Y-%m}/{region}/")
        pages.append(f"/dasbor/laporan/{month:%Y-%m}/{region}/?bahasa=en")
    pages += [f"/dasbor/otomasi/provinsi/{code}/" for code in provinces]
    return [*pages, "/api/v1/data/otomasi/"]


def maps(world: World) -> list[str]:
    """The public map and its data (``lapor.portal.map``), with every marked report given a
    point first: a rahasia report's pin would show its title marker, and its exact
    coordinates are hidden values too."""
    from decimal import Decimal

    from lapor.reports.models import Report

    rahasia = set(world.rahasia())
    for i, (key, report) in enumerate(sorted(world.reports.items())):
        lat = Decimal("-6.813579") - Decimal(i) * Decimal("0.021317")
        lon = Decimal("110.624681") + Decimal(i) * Decimal("0.017293")
        Report.objects.filter(pk=report.pk).update(latitude=lat, longitude=lon)
        if report in rahasia:
            for what, value in (("map latitude", lat), ("map longitude", lon)):
                secret = Secret(key, what, str(value))
                if secret not in world.hidden:
                    world.hidden.append(secret)
    provinces = sorted({r.region_id.split(".")[0] for r in world.reports.values()})
    data = ["/laporan/peta/data/?bbox=94,-11.5,141.5,6.5&limit=500"]
    data += [f"/laporan/peta/data/?region={code}" for code in provinces]
    return ["/laporan/peta/", *[f"/laporan/peta/?region={code}" for code in provinces], *data]


def alerts(world: World) -> list[str]:
    """Early-warning alert pages (``lapor.analytics.alert_views``), one of each kind, whose
    sample reports are every marked report, rahasia ones included: the page must show only
    what the public may see of them."""
    from lapor.analytics.models import Alert
    from lapor.analytics.selectors import today

    day = today()
    report = next(iter(world.reports.values()))
    samples = sorted(r.pk for r in world.reports.values())
    pages = ["/dasbor/peringatan/"]
    for kind, extra in (
        (Alert.Kind.REGION, {"kabkota": report.region_id[:5], "category": report.category_id or 0}),
        (Alert.Kind.AGENCY, {"agency": world.agencies[0].pk}),
        (Alert.Kind.TOPIC, {"kabkota": report.region_id[:2], "terms": "jalan; lubang"}),
    ):
        alert, _ = Alert.objects.get_or_create(
            kind=kind,
            started_on=day,
            **extra,
            defaults={
                "last_seen_on": day,
                "count": 9,
                "expected": 1.5,
                "peak": 9,
                "samples": samples,
            },
        )
        pages.append(f"/dasbor/peringatan/{alert.pk}/")
    return pages


# Surfaces beyond the URLconf's own patterns; each gives paths in the default language (every
# path but the API's is also fetched under each other language's prefix).
SURFACES: list[Callable[[World], list[str]]] = [
    searches,
    tracking,
    well_known,
    public_api,
    dashboards,
    maps,
    policy_reports,
    alerts,
]


def signed_in_citizen() -> Client:
    """A citizen with an account of their own, who reported and supported nothing here."""
    client = Client()
    client.force_login(UserFactory())
    return client


def english_client() -> Client:
    """An anonymous visitor asking for English (the API's language is ``Accept-Language``)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


# Who crawls: whatever anyone may see without being the reporter or an officer.
VISITORS: dict[str, Callable[[], Client]] = {
    "anonymous": Client,
    "anonymous, Accept-Language: en": english_client,
    "signed-in citizen": signed_in_citizen,
}


def seeds(world: World) -> list[str]:
    first = [with_language(path, lang) for lang in LANGUAGES for path in ("/", "/laporan/")]
    extra = [
        # The API has one address in every language (the visitor's Accept-Language picks)
        path if path.startswith("/api/") else with_language(path, lang)
        for lang in LANGUAGES
        for s in SURFACES
        for path in s(world)
    ]
    return list(dict.fromkeys(first + seed_urls(arguments(world), LANGUAGES) + extra))


def occurrences(value: str, page: Page) -> int:
    text = f"{page.body}\n{page.headers}".lower()
    return text.count(value.lower())


class Leaks:
    """Checks each crawled page for every hidden marker, naming the URL of each leak."""

    def __init__(self, world: World, crawl: Crawl) -> None:
        self.world, self.crawl = world, crawl
        self.found: list[str] = []
        self.rahasia_ids = {
            r.tracking_id: key for key, r in world.reports.items() if r in world.rahasia()
        }

    def __call__(self, page: Page) -> None:
        asked = unquote(page.url).lower()
        for secret in self.world.hidden:
            if self.shows(secret, page, asked):
                self.found.append(
                    f"{page.url} [{page.status}] shows the {secret.field} of the "
                    f"{secret.report} report ({secret.value})"
                )
        for tracking_id, key in self.rahasia_ids.items():
            # Whoever typed the tracking ID may see it echoed; nobody else may learn it.
            if tracking_id.lower() not in asked and occurrences(tracking_id, page):
                self.found.append(f"{page.url} [{page.status}] shows the tracking ID of {key}")

    def shows(self, secret: Secret, page: Page, asked: str) -> bool:
        value = secret.value.lower()
        count = occurrences(value, page)
        if secret.digits:
            count += SEPARATORS.sub("", page.body).count(value)
        if not count or value not in asked:
            return bool(count)
        # The visitor typed the marker (a search): the page may echo it as often as it echoes
        # any word that matches nothing; more means it found something.
        dummy = ("kontrol" + secrets.token_hex(len(value)))[: len(value)]
        if secret.digits:
            dummy = str(secrets.randbelow(9 * 10 ** (len(value) - 1)) + 10 ** (len(value) - 1))
        control = self.crawl.fetch(re.sub(re.escape(value), dummy, page.url, flags=re.I))
        return control is None or count > occurrences(dummy, control) + (
            SEPARATORS.sub("", control.body).count(dummy) if secret.digits else 0
        )


@pytest.mark.parametrize("visitor", VISITORS)
def test_no_public_surface_shows_what_rahasia_or_anonim_hide(world, visitor):
    # Given the marked reports, moved through their lifecycle (conftest)
    crawl = Crawl(VISITORS[visitor](), limit=LIMIT)
    leaks = Leaks(world, crawl)
    start = seeds(world)
    assert len(start) < LIMIT, "raise LIMIT: the seeds alone fill the crawl"
    # When a visitor fetches every public surface and follows every link
    crawl.run(start, leaks)
    # Then no response holds a marker, and no page crashed on the way
    assert crawl.errors == [], "\n".join(crawl.errors)
    assert leaks.found == [], "\n".join(leaks.found)
    # And the crawl really read the pages: every seed was fetched and links were followed
    fetched = {page.url for page in crawl.pages}
    assert set(start) <= fetched
    assert len(fetched) > len(start)
    # And the API's pages were followed through their cursors, every report's track answer read
    assert any("/api/v1/reports/" in url and "cursor=" in url for url in fetched)
    assert all(f"/api/v1/track/{tid}/" in fetched for tid in world.tracking_ids())
    # And the dashboards were read with the rollups counting the marked reports
    read = [p for p in crawl.pages if "/dasbor/wilayah/" in p.url and p.status == 200]
    assert read and any(".csv" in p.url for p in crawl.pages), "dashboards not read"


def test_the_crawl_sees_what_the_public_may_see(world):
    # The markers a visitor should find are found: a crawl blind to them would find no leak
    client = Client()
    for value, path, what in world.visible:
        for lang in LANGUAGES:
            page = Crawl(client).fetch(with_language(path, lang))
            assert page is not None and page.status == 200, (path, lang)
            assert occurrences(value, page), f"{what} missing from {with_language(path, lang)}"
    # And search finds a public report by a word of its title, so a search that shows nothing
    # of a rahasia report proves something
    anonim = world.reports["anonim"]
    title_word = next(v for v, _, what in world.visible if what == "anonim title")
    found = Crawl(client).fetch(f"/laporan/?q={title_word}")
    assert found is not None and f"/laporan/{anonim.tracking_id}/" in found.body


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def not_found_page(client: Client, path: str, tracking_id: str) -> str:
    response = client.get(path)
    assert response.status_code == 404, path
    return CSRF.sub("", response.content.decode()).replace(tracking_id, "<ID>")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rahasia_reports_are_404_like_reports_that_do_not_exist(world, client, lang):
    missing = "ZZZZZZZZZZZZ"
    nothing = not_found_page(client, with_language(f"/laporan/{missing}/", lang), missing)
    for report in world.rahasia():
        path = with_language(f"/laporan/{report.tracking_id}/", lang)
        # Not even a 404 that differs from the one of a report that does not exist
        assert not_found_page(client, path, report.tracking_id) == nothing, path


def test_no_file_of_the_marked_reports_is_served_to_the_public(world, client):
    # Rahasia reports' photos and every PDF: only a photo marked public of a public report is
    assert world.attachments
    for attachment in world.attachments:
        assert client.get(f"/lampiran/{attachment.pk}/").status_code == 404


@pytest.mark.parametrize(("lang", "word"), [("id", "Anonim"), ("en", "Anonymous")])
def test_the_anonim_reports_page_names_its_reporter_anonim(world, client, lang, word):
    report = world.reports["anonim"]
    response = client.get(with_language(f"/laporan/{report.tracking_id}/", lang))
    assert response.status_code == 200
    assert word in response.content.decode()
