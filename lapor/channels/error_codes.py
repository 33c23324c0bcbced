"""What a channel answers a citizen or an operator with, as listed codes."""

from __future__ import annotations

from enum import StrEnum

from lapor.core.error_codes import register


@register
class ChannelErrorCode(StrEnum):
    CHANNEL_OFF = "channel_off"
    BAD_SIGNATURE = "channel_bad_signature"
    MALFORMED = "channel_malformed"
    WALKIN_CONSENT_REQUIRED = "walkin_consent_required"
    WALKIN_CONTACT_REQUIRED = "walkin_contact_required"
