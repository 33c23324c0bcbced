"""The error codes of the partner API (registered with ``lapor.core.error_codes``)."""

from __future__ import annotations

from enum import StrEnum

from lapor.core.error_codes import register


@register
class PartnerErrorCode(StrEnum):
    # RFC 6749 §5.2 names, answered by ``POST /partner/token`` in both shapes
    INVALID_CLIENT = "invalid_client"
    INVALID_REQUEST = "invalid_request"
    UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type"
    # Idempotency-Key (IETF httpapi draft); ``idempotency_key_reused`` is core's
    IDEMPOTENCY_IN_FLIGHT = "idempotency_in_flight"
    INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key"
    EXTERNAL_ID_REUSED = "external_id_reused"
    INVALID_ATTACHMENT = "invalid_attachment"
