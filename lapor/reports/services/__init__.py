"""Every change to a report, one keyword-only function per action.

Views, API endpoints, channel adapters, jobs and commands call only these."""

from lapor.reports.services.access import record_access
from lapor.reports.services.claim import reports_claim_contact
from lapor.reports.services.consent import report_privacy_consent
from lapor.reports.services.handling import (
    report_add_note,
    report_archive,
    report_change_category,
    report_complete,
    report_follow_up,
    report_hold,
    report_merge,
    report_record_confidential_view,
    report_request_info,
    report_resume,
    report_set_privacy,
)
from lapor.reports.services.personal_data import (
    report_erase_for_account,
    report_erase_identity,
    report_purge_contact,
    reports_purge_contact,
    supports_erase_for_user,
)
from lapor.reports.services.photos import attachment_set_public
from lapor.reports.services.reporter import (
    is_reporter,
    report_rate,
    report_reopen,
    report_reply,
    report_support,
    report_support_confirm,
)
from lapor.reports.services.requested import report_dispose_requested
from lapor.reports.services.submit import Submitted, Upload, report_submit, submission_hash
from lapor.reports.services.triage import (
    report_dispose,
    report_dispose_unit,
    report_forward,
    report_not_authority,
    report_send_to_triage,
)
from lapor.reports.services.withdraw import can_withdraw, report_withdraw

__all__ = [
    "Submitted",
    "Upload",
    "attachment_set_public",
    "can_withdraw",
    "is_reporter",
    "record_access",
    "report_add_note",
    "report_archive",
    "report_change_category",
    "report_complete",
    "report_dispose",
    "report_dispose_requested",
    "report_dispose_unit",
    "report_erase_for_account",
    "report_erase_identity",
    "report_follow_up",
    "report_forward",
    "report_hold",
    "report_merge",
    "report_not_authority",
    "report_privacy_consent",
    "report_purge_contact",
    "report_rate",
    "report_record_confidential_view",
    "report_reopen",
    "report_reply",
    "report_request_info",
    "report_resume",
    "report_send_to_triage",
    "report_set_privacy",
    "report_submit",
    "report_support",
    "report_support_confirm",
    "report_withdraw",
    "reports_claim_contact",
    "reports_purge_contact",
    "submission_hash",
    "supports_erase_for_user",
]
