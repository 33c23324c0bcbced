from lapor.reports.models.access import AccessRecord
from lapor.reports.models.attachment import Attachment
from lapor.reports.models.event import AuditDayHead, ReportEvent
from lapor.reports.models.report import Report, Supporter

__all__ = ["AccessRecord", "Attachment", "AuditDayHead", "Report", "ReportEvent", "Supporter"]
