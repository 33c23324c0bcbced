"""Background jobs of the analytics app."""

from __future__ import annotations

from django_tasks import task


@task()
def fill_rollups() -> int:
    """The periodic rollup fill (``analytics.fill``); the number of events counted."""
    from lapor.analytics.fill import fill

    return fill().events


@task()
def early_warning() -> int:
    """The hourly early-warning run over today's rollups; the number of alerts opened."""
    from lapor.analytics.alerts import record_alarms
    from lapor.analytics.selectors import today

    return len(record_alarms(today()))
