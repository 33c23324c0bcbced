"""The codes the whistleblowing services (``lapor.wbs``) answer with."""

from __future__ import annotations

from enum import StrEnum

from lapor.core.error_codes import register


@register
class WbsErrorCode(StrEnum):
    RECEIPT_WRONG = "wbs_receipt_wrong"
    PASSPHRASE_WRONG = "wbs_passphrase_wrong"  # noqa: S105 - a code, not a secret
    PASSPHRASE_WEAK = "wbs_passphrase_weak"  # noqa: S105 - a code, not a secret
    RECOVERY_KEY_WRONG = "wbs_recovery_key_wrong"
    KEY_MISSING = "wbs_key_missing"
    KEY_EXISTS = "wbs_key_exists"
    LOCKED = "wbs_locked"
    NO_RECIPIENT = "wbs_no_recipient"
    CASE_NOT_FOUND = "wbs_case_not_found"
    STAGE_INVALID = "wbs_stage_invalid"
    MESSAGE_EMPTY = "wbs_message_empty"
    TAMPERED = "wbs_tampered"
