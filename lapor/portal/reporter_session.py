"""Who is the reporter of a report, in this browser: the account that filed it, or the guest
secret entered once on the track page (kept in the session for that report only)."""

from __future__ import annotations

from django.http import HttpRequest

from lapor.reports.models import Report
from lapor.reports.privacy import Audience
from lapor.reports.services import is_reporter

SESSION_KEY = "portal_report_secrets"


def remember_secret(request: HttpRequest, tracking_id: str, secret: str) -> None:
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept[tracking_id] = secret
    request.session[SESSION_KEY] = dict(list(kept.items())[-20:])


def forget_secret(request: HttpRequest, tracking_id: str) -> None:
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept.pop(tracking_id, None)
    request.session[SESSION_KEY] = kept


def secret_for(request: HttpRequest, tracking_id: str) -> str:
    return str(request.session.get(SESSION_KEY, {}).get(tracking_id, ""))


def audience_for(request: HttpRequest, report: Report) -> Audience:
    user = request.user if request.user.is_authenticated else None
    if is_reporter(report, user=user, secret=secret_for(request, report.tracking_id)):
        return Audience.REPORTER
    return Audience.TRACKER
