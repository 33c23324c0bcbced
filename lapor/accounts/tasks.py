"""Background jobs of the accounts: sending a password reset code by SMS after the page that
asked for it has answered (``accounts.sms_reset``)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_reset_code(user_id: int) -> int | None:
    """Make and send a reset code to the account ``user_id``; 0 does nothing (a number with no
    account, or over its limit: the request did the same work either way)."""
    from lapor.accounts.sms_reset import send_code

    return send_code(user_id)
