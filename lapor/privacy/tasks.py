"""Background jobs of the privacy rules."""

from __future__ import annotations

from django_tasks import task


@task()
def privacy_purge() -> int:
    """The daily retention purge (``lapor.privacy.retention``); the number of reports purged."""
    from lapor.privacy.retention import purge

    return purge()
