"""Emerging topics: terms from the routing's stemming, counted from public reports only, a
rising term alarms with its region and public samples, one alert per episode told to the
responsible admins, rahasia words never counted or shown; the injected-topic measurement."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import numpy as np
import pytest
from django.urls import reverse

from lapor.analytics import topics
from lapor.analytics.alerts import record_alarms
from lapor.analytics.early_warning import WEEK, WINDOW
from lapor.analytics.models import Alert, TermCount, TermDay
from lapor.analytics.selectors import today
from tests.factories import (
    AgencyFactory,
    ProvinceFactory,
    RegencyFactory,
    national_admin,
    officer,
    submit,
)

SECRET_WORD = "xilofonis"
SECRET_TITLE = "Kepala desa memeras warga xilofonis"
PUBLIC_TITLE = "Tebing longsor menimpa rumah warga"


def test_terms_are_stems_and_pairs_of_stems():
    terms = topics.terms_of("Tebing longsor menimpa rumah-rumah warga, mohon dibantu")
    assert {"tebing", "longsor", "timpa", "tebing longsor", "longsor timpa"} <= terms
    assert "mohon" not in terms  # a greeting or stop word is no term


@pytest.fixture
def demak(db):  # type: ignore[no-untyped-def]
    jateng = ProvinceFactory(code="33", name="Jawa Tengah")
    region = RegencyFactory(code="33.21", name="Kabupaten Demak", parent=jateng)
    government = AgencyFactory(code="pemkab-3321", kind="pemkab", region=region)
    return {"region": region, "local": officer(government), "admin": national_admin()}


def _quiet_history(day):  # type: ignore[no-untyped-def]
    """Five weeks of the usual words in Demak, each past day already counted for good."""
    rng = np.random.default_rng(3)
    rows, marks = [], []
    for back in range(1, WINDOW + WEEK + 1):
        d = day - timedelta(days=back)
        for term in ("jalan", "rusak", "jalan rusak", "lampu"):
            rows.append(TermCount(day=d, kabkota="33.21", term=term, value=int(rng.integers(2, 5))))
        final = datetime.combine(d + timedelta(days=3), time(1), tzinfo=UTC)
        marks.append(TermDay(day=d, counted_at=final))
    TermCount.objects.bulk_create(rows)
    TermDay.objects.bulk_create(marks)


def _today_reports(region, public: int, secret: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(public):
        submit(
            region=region,
            title=PUBLIC_TITLE,
            body=f"Tebing longsor menimpa rumah warga di dusun {n}, akses jalan tertutup.",
            is_confidential=False,
        )
    for _ in range(secret):
        submit(
            region=region,
            title=SECRET_TITLE,
            body=f"Kepala desa memeras warga dengan dalih {SECRET_WORD} setiap bulan.",
            is_confidential=True,
        )


@pytest.mark.django_db
def test_a_rising_term_alarms_once_per_episode_and_rahasia_words_never_surface(demak, client):
    from lapor.notifications.models import Notification

    day = today()
    _quiet_history(day)
    # Given six public reports about a landslide today, and eight rahasia ones with a word
    # nobody else used
    _today_reports(demak["region"], public=6, secret=8)
    # When the hourly run goes three times
    opened = [len(record_alarms(day)) for _ in range(3)]
    # Then one topic alert, for Demak, naming the landslide's terms
    assert opened[0] >= 1 and opened[1:] == [0, 0]
    alert = Alert.objects.get(kind=Alert.Kind.TOPIC)
    assert alert.kabkota == "33.21" and alert.count >= 6
    assert "longsor" in alert.terms and alert.expected < 1
    assert len(alert.samples) == 3
    # And the rahasia reports' words were never counted, so never a term
    assert not TermCount.objects.filter(term__contains=SECRET_WORD).exists()
    assert not TermCount.objects.filter(term="peras").exists()
    assert SECRET_WORD not in alert.terms and "peras" not in alert.terms
    # And the region's government admins and the national admins are told once, without text
    told = Notification.objects.filter(kind="early_warning")
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [demak["admin"].email, demak["local"].email]
    )
    body = told.first().body  # type: ignore[union-attr]
    assert "Kabupaten Demak" in body and "longsor" in body
    assert reverse("analytics:alert", args=[alert.pk]) in body
    assert PUBLIC_TITLE not in body and SECRET_TITLE not in body
    # And the public pages show the terms and public samples, never a rahasia report
    listing = client.get(reverse("analytics:alerts")).content.decode()
    page = client.get(reverse("analytics:alert", args=[alert.pk])).content.decode()
    assert "longsor" in listing and "longsor" in page and PUBLIC_TITLE in page
    for html in (listing, page):
        assert SECRET_WORD not in html and SECRET_TITLE not in html and "peras" not in html


@pytest.mark.django_db
def test_a_sample_made_rahasia_later_leaves_the_alert_page(demak, client):
    from lapor.reports.models import Report

    day = today()
    _quiet_history(day)
    _today_reports(demak["region"], public=6, secret=0)
    record_alarms(day)
    alert = Alert.objects.get(kind=Alert.Kind.TOPIC)
    Report.objects.filter(pk__in=alert.samples).update(is_confidential=True)
    page = client.get(reverse("analytics:alert", args=[alert.pk])).content.decode()
    assert PUBLIC_TITLE not in page and "Contoh laporan publik" not in page


@pytest.mark.django_db
def test_only_rahasia_reports_raise_no_topic(demak):
    day = today()
    _quiet_history(day)
    _today_reports(demak["region"], public=0, secret=12)
    assert record_alarms(day) == []
    assert topics.emerging_on(day) == []


@pytest.mark.django_db
def test_past_days_are_counted_once_and_today_on_every_run(demak):
    day = today()
    first = topics.refresh(day)
    assert len(first) == WINDOW + WEEK  # nothing counted yet: the whole window
    again = topics.refresh(day)
    # yesterday and the day before may still change (counted before they were final)
    assert day in again and len(again) <= 3


def test_an_injected_emerging_term_is_found_with_few_false_alerts():
    # Given 30 regions x 400 terms of generated history, a term rising by 6, 9 and 12 reports on
    # three days injected every 9 held-out days, each day judged on the days before it
    runs = [topics.evaluate_topics(seed, extra=(6.0, 9.0, 12.0)) for seed in (1, 2, 3)]
    # Then every one is found within its three days
    assert all(all(run.detected) for run in runs)
    # And quiet terms raise about one new alert a week over the 30 regions (worst week 4)
    weeks = [n for run in runs for n in run.false_alerts_per_week]
    assert np.mean(weeks) <= 2.0 and max(weeks) <= 5, weeks
    # A weaker topic (4, 6 and 8 more reports) is found more often than not
    weak = [topics.evaluate_topics(seed) for seed in (1, 2, 3)]
    found = [d for run in weak for d in run.detected]
    assert sum(found) / len(found) >= 0.5
