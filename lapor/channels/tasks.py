"""Background jobs of the channels."""

from __future__ import annotations

from django_tasks import task


@task()
def channels_purge() -> int:
    """The daily retention purge of stored inbound messages, channel addresses and finished
    conversations (``lapor.channels.retention``, as ``lapor channels purge``); the number of
    rows emptied or deleted."""
    from lapor.channels.retention import purge

    done = purge()
    return done.messages + done.addresses + done.conversations
