from __future__ import annotations

from django_tasks import task


@task()
def deliver_notifications(ids: list[int]) -> int:
    from lapor.notifications.delivery import deliver

    return deliver(ids)
