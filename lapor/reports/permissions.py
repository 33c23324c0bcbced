"""Who may do what to which report: officers act only within their agency subtree.

Every officer action in ``reports.services`` asks ``authorize`` first, so a view that forgets
to check cannot open a hole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from lapor.agencies.models import Membership
from lapor.core.errors import NotAllowed
from lapor.reports.error_codes import ReportErrorCode
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report

if TYPE_CHECKING:
    from lapor.accounts.models import User

Role = Membership.Role
A = Action

# What an agency admin does at its desk; national admins also verify and dispose from triage.
AGENCY_DESK = frozenset(
    {
        A.DISPOSE_UNIT, A.HOLD, A.RESUME, A.NOT_AUTHORITY, A.FORWARD, A.REQUEST_INFO,
        A.FOLLOW_UP, A.COMPLETE, A.ARCHIVE, A.MERGE, A.NOTE, A.CHANGE_CATEGORY, A.SET_PRIVACY,
        A.VIEW_CONFIDENTIAL, A.PHOTO_VISIBILITY,
    }
)  # fmt: skip
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.NATIONAL_ADMIN: AGENCY_DESK | {A.TRIAGE, A.DISPOSE},
    Role.AGENCY_ADMIN: AGENCY_DESK,
    Role.UNIT_OFFICER: frozenset({A.REQUEST_INFO, A.FOLLOW_UP, A.NOTE, A.VIEW_CONFIDENTIAL}),
    Role.INSPECTOR: frozenset({A.NOTE, A.VIEW_CONFIDENTIAL}),
    # A partner system (``api.Partner``) pushes what its own desk did with the reports disposed
    # to the agencies it speaks for: answers, questions, notes, holds, units, completion, and
    # "not ours". Never what takes a person's judgement at the national level or over the
    # reporter's protection: no triage or disposition, no forwarding elsewhere, merging,
    # archiving, category or privacy changes, and no reading of rahasia identities (the partner
    # keeps none of the reporter's contact details; ``reports.privacy`` decides what it sees).
    Role.PARTNER: frozenset(
        {
            A.FOLLOW_UP, A.REQUEST_INFO, A.NOTE, A.HOLD, A.RESUME, A.COMPLETE, A.DISPOSE_UNIT,
            A.NOT_AUTHORITY,
        }
    ),
}  # fmt: skip
# The most capable role first: an officer with two roles acts with the stronger. A partner's
# service account holds only partner roles; a person never does (``api.partners``).
ROLE_ORDER = [
    Role.NATIONAL_ADMIN, Role.AGENCY_ADMIN, Role.UNIT_OFFICER, Role.INSPECTOR, Role.PARTNER,
]  # fmt: skip
# The roles people hold: only these sign in to the back office, appear in staff lists and are
# sent staff messages.
PERSON_ROLES = frozenset(ROLE_ORDER) - {Role.PARTNER}


def roles_over(user: User, report: Report) -> list[str]:
    """The user's active roles whose agency subtree holds the report, strongest first."""
    if user is None or not user.is_authenticated:
        return []
    handler_paths = [a.path for a in (report.agency, report.unit) if a is not None]
    found = set()
    for membership in user.memberships.filter(is_active=True).select_related("agency"):
        if membership.role == Role.NATIONAL_ADMIN:
            found.add(membership.role)
        elif any(path.startswith(membership.agency.path) for path in handler_paths):
            if membership.role == Role.UNIT_OFFICER and not (
                report.unit is not None and report.unit.path.startswith(membership.agency.path)
            ):
                continue
            found.add(membership.role)
    return [role for role in ROLE_ORDER if role in found]


def authorize(user: User, report: Report, action: str) -> str:
    """The role under which ``user`` may do ``action`` on ``report``; else ``NotAllowed``."""
    for role in roles_over(user, report):
        if action in ROLE_ACTIONS[role]:
            return role
    raise NotAllowed(
        _("Anda tidak berwenang melakukan tindakan ini pada laporan ini."),
        code=ReportErrorCode.NOT_PERMITTED,
    )
