"""Early-warning alerts: the hourly run turns the day's alarms (``early_warning.alarms_on``)
into ``Alert`` episodes, idempotently (running it again the same hour, or every hour of the
day, changes nothing but the latest count). A new episode is told, in the same transaction
(the notification outbox), to the admins of the kabupaten/kota's government and to the national
admins; an extended one is not told again."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from lapor.analytics.early_warning import alarms_on
from lapor.analytics.models import Alert

# An alarm within this many days of an episode's last alarming day continues it.
GAP_DAYS = 2


def record_alarms(day: date) -> list[Alert]:
    """Open or extend the episodes of ``day``'s alarms; the alerts opened."""
    opened = []
    with transaction.atomic():
        for alarm in alarms_on(day):
            kabkota, category = alarm.kabkota, alarm.category
            count, expected = alarm.count, alarm.expected
            episode = (
                Alert.objects.select_for_update()
                .filter(
                    kabkota=kabkota,
                    category=category,
                    last_seen_on__gte=day - timedelta(days=GAP_DAYS),
                    started_on__lte=day,
                )
                .order_by("-last_seen_on")
                .first()
            )
            if episode is None:
                alert = Alert.objects.create(
                    kabkota=kabkota,
                    category=category,
                    started_on=day,
                    last_seen_on=day,
                    count=count,
                    expected=expected,
                    peak=count,
                )
                _notify(alert)
                opened.append(alert)
                continue
            episode.last_seen_on = max(episode.last_seen_on, day)
            episode.count, episode.expected = count, expected
            episode.peak = max(episode.peak, count)
            episode.save(update_fields=["last_seen_on", "count", "expected", "peak"])
    return opened


def _notify(alert: Alert) -> int:
    """Write one message per admin (the region's government, the national admins) to the
    outbox; the number written. Figures only: no report's text or reporter."""
    from django.conf import settings
    from django.urls import reverse

    from lapor.agencies.models import Agency, Membership
    from lapor.categories.models import Category
    from lapor.notifications.models import Notification
    from lapor.notifications.services import national_admins, schedule_delivery, staff_of
    from lapor.regions.models import Region

    region = Region.objects.filter(code=alert.kabkota).values_list("name", flat=True).first()
    category = Category.objects.filter(pk=alert.category).values_list("name", flat=True).first()
    governments = Agency.objects.filter(
        region_id=alert.kabkota, kind__in=[Agency.Kind.REGENCY, Agency.Kind.CITY], is_active=True
    ).values_list("pk", flat=True)
    users = {
        u.pk: u
        for staff in staff_of(governments, Membership.Role.AGENCY_ADMIN).values()
        for u in staff
    }
    users.update({u.pk: u for u in national_admins()})
    place = region or alert.kabkota
    topic = category or "tanpa kategori"
    subject = f"[LAPOR!] Peringatan dini: laporan {topic} naik di {place}"
    link = settings.LAPOR_PUBLIC_URL + reverse("analytics:kabkota", args=[alert.kabkota])
    body = (
        f"{alert.count} laporan publik kategori {topic} di {place} pada "
        f"{alert.started_on:%d-%m-%Y}, biasanya sekitar {alert.expected:.1f} per hari.\n"
        f"Dasbor wilayah: {link}"
    )
    rows = []
    for user in users.values():
        if user.email:
            channel, to = Notification.Channel.EMAIL, user.email
        elif getattr(user, "phone", ""):
            channel, to = Notification.Channel.SMS, user.phone
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
