"""The codes the account services (``lapor.accounts``, ``lapor.privacy``) answer with."""

from __future__ import annotations

from enum import StrEnum

from lapor.core.error_codes import register


@register
class AccountErrorCode(StrEnum):
    ACTIVATION_LINK_INVALID = "activation_link_invalid"
    RESET_LINK_INVALID = "reset_link_invalid"
    INVALID_IDENTIFIER = "invalid_identifier"
    OFFICER_ACCOUNT = "officer_account"  # an officer's account is not erased by its owner
    VERIFY_CODE_WRONG = "verify_code_wrong"
    VERIFY_CODE_EXPIRED = "verify_code_expired"  # none asked, expired, or too many wrong tries
    RESET_CODE_WRONG = "reset_code_wrong"
    RESET_CODE_EXPIRED = "reset_code_expired"  # none asked, expired, used, or too many tries
