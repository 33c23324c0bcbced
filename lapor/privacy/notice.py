"""The version of the privacy notice and terms in force. A report records the version its
reporter accepted by submitting (``Report.consent_version``): change the version whenever the
text of ``privacy/notice.html`` or ``privacy/terms.html`` changes in substance."""

from __future__ import annotations

from datetime import date

NOTICE_VERSION = "2026-12"
NOTICE_EFFECTIVE = date(2026, 12, 7)
