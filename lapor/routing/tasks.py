"""Background jobs of duplicate detection."""

from __future__ import annotations

from django_tasks import task


@task()
def prune_duplicate_bands() -> dict[str, int]:
    """The periodic prune (enqueued by ``lapor worker`` once per sweep interval): drop the band
    rows of reports no longer open, at most ``bands.PERIODIC_ROWS`` per run, and band again
    open reports that lost theirs. Idempotent."""
    from lapor.routing.bands import PERIODIC_ROWS, prune_bands, restore_missing_bands

    removed = prune_bands(max_rows=PERIODIC_ROWS)
    return {"removed": removed, "restored": restore_missing_bands()}
