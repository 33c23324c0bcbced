"""The codes the back office's forms answer with before a service is called."""

from __future__ import annotations

from enum import StrEnum

from lapor.core.error_codes import register


@register
class BackofficeErrorCode(StrEnum):
    AGENCY_REQUIRED = "agency_required"
    ATTACHMENT_REQUIRED = "attachment_required"
    CATEGORY_REQUIRED = "category_required"
    MERGE_TARGET_MISSING = "merge_target_missing"
    SUGGESTED_SELF = "suggested_self"
    SUGGESTED_UNKNOWN = "suggested_unknown"
    UNIT_REQUIRED = "unit_required"
    UNTIL_REQUIRED = "until_required"
