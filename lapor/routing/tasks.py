"""Background jobs of routing: the nightly retraining and the duplicate band prune."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger("lapor.routing")


@task()
def retrain_routing() -> dict[str, object]:
    """The periodic retraining (enqueued by ``lapor worker`` once a day): ``lapor routing
    train`` on history and the officers' corrections so far. The new model is put in use only
    when it routes the reports the current one never learned better than the current one;
    with too little history or too few new reports nothing changes. Idempotent: a second run
    the same day finds fewer than ``training.MIN_JUDGE`` newer reports and leaves the model."""
    from lapor.routing.training import train

    try:
        result = train()
    except ValueError as exc:  # too little history, or too few reports since the last model
        logger.info("Routing not retrained: %s", exc)
        return {"replaced": False, "reason": str(exc)}
    logger.info(
        "Routing retrained on %d examples: %s; replaced=%s",
        result.examples,
        result.new.line(),
        result.replaced,
    )
    return {
        "replaced": result.replaced,
        "version": result.version,
        "examples": result.examples,
        "accuracy": round(result.new.accuracy, 3),
        "current_accuracy": round(result.old.accuracy, 3) if result.old else None,
    }


@task()
def prune_duplicate_bands() -> dict[str, int]:
    """The periodic prune (enqueued by ``lapor worker`` once per sweep interval): drop the band
    rows of reports no longer open, at most ``bands.PERIODIC_ROWS`` per run, and band again
    open reports that lost theirs. Idempotent."""
    from lapor.routing.bands import PERIODIC_ROWS, prune_bands, restore_missing_bands

    removed = prune_bands(max_rows=PERIODIC_ROWS)
    return {"removed": removed, "restored": restore_missing_bands()}
