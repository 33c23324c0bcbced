from lapor.reports.models.access import AccessRecord
from lapor.reports.models.attachment import Attachment
from lapor.reports.models.event import AuditDayHead, AuditStripeHead, ReportEvent
from lapor.reports.models.report import Report, Supporter
from lapor.reports.models.submit_key import SubmitKey

__all__ = [
    "AccessRecord",
    "Attachment",
    "AuditDayHead",
    "AuditStripeHead",
    "Report",
    "ReportEvent",
    "SubmitKey",
    "Supporter",
]
