"""Background jobs of the analytics app."""

from __future__ import annotations

from django_tasks import task


@task()
def fill_rollups() -> int:
    """The periodic rollup fill (``analytics.fill``), then the month-end backlog once a month
    has ended and been counted (``analytics.stocks``); the number of events counted."""
    from lapor.analytics.fill import fill
    from lapor.analytics.stocks import snapshot_month

    counted = fill().events
    snapshot_month()
    return counted


@task()
def early_warning() -> int:
    """The hourly early-warning run over today's rollups; the number of alerts opened."""
    from lapor.analytics.alerts import record_alarms
    from lapor.analytics.selectors import today

    return len(record_alarms(today()))


@task()
def policy_reports() -> int:
    """Last month's "Suara Rakyat", national and per province, once the month is over
    (``policy_report.archive``): what is archived already is left alone, so the hourly run
    makes each report once. Reports quoting a report no longer public are made again."""
    from lapor.analytics.policy_report.archive import last_month, make_month, refresh_hidden

    month = last_month()
    made = make_month(month) if month is not None else 0
    return made + refresh_hidden()


@task()
def automation_accounts() -> int:
    """The automation's monthly accounts (``analytics.automation``) of the last months."""
    from lapor.analytics.automation import refresh_recent
    from lapor.analytics.selectors import today

    return refresh_recent(today())
