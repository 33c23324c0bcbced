"""Early-warning alerts: the hourly run turns the day's alarms (``early_warning.alarms_on``:
kabupaten/kota x category and agency series) and emerging topics (``topics.emerging_on``) into
``Alert`` episodes, idempotently (running it again the same hour, or every hour of the day,
changes nothing but the latest figures). A new episode is told, in the same transaction (the
notification outbox), to the admins of the responsible agencies and to the national admins; an
extended one is not told again. Messages carry figures, terms and a link to the alert's public
page, never a report's text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction

from lapor.analytics.early_warning import Alarm, alarms_on
from lapor.analytics.models import Alert
from lapor.analytics.topics import Topic

# An alarm within this many days of an episode's last alarming day continues it.
GAP_DAYS = 2
TERM_SEPARATOR = "; "


def record_alarms(day: date, *, with_topics: bool = True) -> list[Alert]:
    """Open or extend the episodes of ``day``'s alarms, then of its emerging topics (each in
    its own transaction: a failure in the texts' part leaves the report alarms recorded); the
    alerts opened."""
    opened = []
    alarms = alarms_on(day)
    with transaction.atomic():
        for alarm in alarms:
            alert = _record(day, alarm)
            if alert is not None:
                opened.append(alert)
    if not with_topics:
        return opened
    from lapor.analytics.topics import emerging_on, refresh

    refresh(day)
    found = emerging_on(day)
    with transaction.atomic():
        for topic in found:
            alert = _record_topic(day, topic)
            if alert is not None:
                opened.append(alert)
    return opened


def _open_episode(day: date, **key: object) -> Alert | None:
    return (
        Alert.objects.select_for_update()
        .filter(last_seen_on__gte=day - timedelta(days=GAP_DAYS), started_on__lte=day, **key)
        .order_by("-last_seen_on")
        .first()
    )


def _record(day: date, alarm: Alarm) -> Alert | None:
    key = {
        "kind": alarm.kind,
        "kabkota": alarm.kabkota,
        "category": alarm.category,
        "agency": alarm.agency,
    }
    episode = _open_episode(day, **key)
    if episode is None:
        alert = Alert.objects.create(
            **key,
            started_on=day,
            last_seen_on=day,
            count=alarm.count,
            expected=alarm.expected,
            peak=alarm.count,
        )
        _notify(alert)
        return alert
    _extend(episode, day, alarm.count, alarm.expected)
    return None


def _record_topic(day: date, topic: Topic) -> Alert | None:
    terms = [t[0] for t in topic.terms]
    episode = _open_episode(day, kind=Alert.Kind.TOPIC, kabkota=topic.region)
    if episode is None:
        alert = Alert.objects.create(
            kind=Alert.Kind.TOPIC,
            kabkota=topic.region,
            terms=_join(terms),
            samples=topic.samples,
            started_on=day,
            last_seen_on=day,
            count=topic.count,
            expected=topic.expected,
            peak=topic.count,
        )
        _notify(alert)
        return alert
    known = [t for t in episode.terms.split(TERM_SEPARATOR) if t]
    episode.terms = _join(known + [t for t in terms if t not in known])
    episode.samples = list(dict.fromkeys([*episode.samples, *topic.samples]))[:6]
    episode.save(update_fields=["terms", "samples"])
    _extend(episode, day, topic.count, topic.expected)
    return None


def _join(terms: list[str]) -> str:
    out: list[str] = []
    for term in terms:
        if len(TERM_SEPARATOR.join([*out, term])) > 300:
            break
        out.append(term)
    return TERM_SEPARATOR.join(out)


def _extend(episode: Alert, day: date, count: int, expected: float) -> None:
    episode.last_seen_on = max(episode.last_seen_on, day)
    episode.count, episode.expected = count, expected
    episode.peak = max(episode.peak, count)
    episode.save(update_fields=["last_seen_on", "count", "expected", "peak"])


def responsible_agencies(alert: Alert) -> list[int]:
    """The agencies told of an alert: the region's government (kabupaten/kota, or the province
    for a province's topic), the agencies that received the category's public reports there in
    the last five weeks (a region x category alert), the agency itself (an agency alert), and the
    agencies the sample reports were disposed to (a topic)."""
    from lapor.agencies.models import Agency
    from lapor.analytics.facts import Metric
    from lapor.analytics.models import DailyCount
    from lapor.reports.models import Report

    if alert.kind == Alert.Kind.AGENCY:
        return [alert.agency]
    region_kinds = (
        [Agency.Kind.PROVINCE]
        if len(alert.kabkota) == 2
        else [Agency.Kind.REGENCY, Agency.Kind.CITY]
    )
    found = set(
        Agency.objects.filter(
            region_id=alert.kabkota, kind__in=region_kinds, is_active=True
        ).values_list("pk", flat=True)
    )
    if alert.kind == Alert.Kind.REGION:
        found |= set(
            DailyCount.objects.filter(
                kabkota=alert.kabkota,
                category=alert.category,
                metric=Metric.SUBMITTED,
                day__gte=alert.started_on - timedelta(days=35),
            )
            .exclude(agency=0)
            .values_list("agency", flat=True)
            .distinct()
        )
    else:
        found |= {
            pk
            for pk in Report.objects.filter(pk__in=alert.samples).values_list(
                "agency_id", flat=True
            )
            if pk
        }
    return sorted(found)


def describe(alert: Alert) -> tuple[str, str]:
    """(where, what) of an alert in words: the region or agency, the category or the terms."""
    from lapor.agencies.models import Agency
    from lapor.categories.models import Category
    from lapor.regions.models import Region

    if alert.kind == Alert.Kind.AGENCY:
        name = Agency.objects.filter(pk=alert.agency).values_list("name", flat=True).first()
        return name or str(alert.agency), "semua kategori"
    region = Region.objects.filter(code=alert.kabkota).values_list("name", flat=True).first()
    place = region or alert.kabkota
    if alert.kind == Alert.Kind.TOPIC:
        return place, ", ".join(f"“{t}”" for t in alert.terms.split(TERM_SEPARATOR) if t)
    category = Category.objects.filter(pk=alert.category).values_list("name", flat=True).first()
    return place, category or "tanpa kategori"


def _notify(alert: Alert) -> int:
    """Write one message per admin (the responsible agencies, the national admins) to the
    outbox; the number written. Figures and terms only: no report's text or reporter."""
    from django.conf import settings
    from django.urls import reverse

    from lapor.agencies.models import Membership
    from lapor.notifications.services import national_admins, staff_of

    users = {
        u.pk: u
        for staff in staff_of(responsible_agencies(alert), Membership.Role.AGENCY_ADMIN).values()
        for u in staff
    }
    users.update({u.pk: u for u in national_admins()})
    place, topic = describe(alert)
    link = settings.LAPOR_PUBLIC_URL + reverse("analytics:alert", args=[alert.pk])
    if alert.kind == Alert.Kind.TOPIC:
        subject = f"[LAPOR!] Peringatan dini: topik baru di {place}: {topic}"
        body = (
            f"Topik yang naik di laporan publik {place} pada {alert.started_on:%d-%m-%Y}: "
            f"{topic}. {alert.count} laporan memuat istilah pertama, biasanya sekitar "
            f"{alert.expected:.1f} per hari.\nRincian dan contoh laporan publik: {link}"
        )
    elif alert.kind == Alert.Kind.AGENCY:
        subject = f"[LAPOR!] Peringatan dini: laporan ke {place} naik"
        body = (
            f"{alert.count} laporan publik ke {place} pada {alert.started_on:%d-%m-%Y}, "
            f"biasanya sekitar {alert.expected:.1f} per hari.\nRincian: {link}"
        )
    else:
        subject = f"[LAPOR!] Peringatan dini: laporan {topic} naik di {place}"
        body = (
            f"{alert.count} laporan publik kategori {topic} di {place} pada "
            f"{alert.started_on:%d-%m-%Y}, biasanya sekitar {alert.expected:.1f} per hari.\n"
            f"Rincian: {link}\n"
            f"Dasbor wilayah: "
            f"{settings.LAPOR_PUBLIC_URL + reverse('analytics:kabkota', args=[alert.kabkota])}"
        )
    return _write(users.values(), subject, body)


def _write(users: Iterable[object], subject: str, body: str) -> int:
    from lapor.notifications.models import Notification
    from lapor.notifications.services import schedule_delivery

    rows = []
    for user in users:
        email = getattr(user, "email", "")
        phone = getattr(user, "phone", "")
        if email:
            channel, to = Notification.Channel.EMAIL, email
        elif phone:
            channel, to = Notification.Channel.SMS, phone
        else:
            continue
        text = subject if channel == Notification.Channel.SMS else body
        rows.append(
            Notification(
                kind="early_warning", channel=channel, recipient=to, subject=subject, body=text
            )
        )
    created = Notification.objects.bulk_create(rows)
    schedule_delivery([n.pk for n in created])
    return len(created)
