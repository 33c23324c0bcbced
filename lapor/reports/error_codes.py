"""The codes the report services (``lapor.reports``) answer with."""

from __future__ import annotations

from enum import StrEnum

from lapor.core.error_codes import register


@register
class ReportErrorCode(StrEnum):
    # Who may act
    NOT_PERMITTED = "not_permitted"
    NOT_REPORTER = "not_reporter"
    # The report moved on
    INVALID_TRANSITION = "invalid_transition"
    REPORT_CHANGED = "report_changed"
    PRIVACY_CHANGED = "privacy_changed"
    # Submitting
    BODY_LENGTH = "body_length"
    TITLE_LENGTH = "title_length"
    CONTACT_REQUIRED = "contact_required"
    FUTURE_INCIDENT_DATE = "future_incident_date"
    OLD_INCIDENT_DATE = "old_incident_date"
    INVALID_COORDINATES = "invalid_coordinates"
    INVALID_EMAIL = "invalid_email"
    INVALID_PHONE = "invalid_phone"
    REGION_REQUIRED = "region_required"
    TOO_MANY_FILES = "too_many_files"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_CHANNEL = "unknown_channel"
    UNKNOWN_TYPE = "unknown_type"
    # Routing and handling
    AGENCY_UNAVAILABLE = "agency_unavailable"
    FORWARD_INSIDE = "forward_inside"
    UNIT_OUTSIDE_AGENCY = "unit_outside_agency"
    HOLD_IN_PAST = "hold_in_past"
    MERGE_SELF = "merge_self"
    MERGE_TARGET_CLOSED = "merge_target_closed"
    PRIVACY_LIFT_NEEDS_REPORTER = "privacy_lift_needs_reporter"
    PRIVACY_UNCHANGED = "privacy_unchanged"
    # A photo on the public page (``services.photos``)
    NOT_A_PHOTO = "not_a_photo"
    PHOTO_OF_CONFIDENTIAL_REPORT = "photo_of_confidential_report"
    # A text too short: ``<field>_required``
    REASON_REQUIRED = "reason_required"
    QUESTION_REQUIRED = "question_required"
    MESSAGE_REQUIRED = "message_required"
    NOTE_REQUIRED = "note_required"
    # The reporter and supporters
    ALREADY_RATED = "already_rated"
    INVALID_RATING = "invalid_rating"
    APPEAL_NEEDS_POOR_RATING = "appeal_needs_poor_rating"
    APPEAL_WINDOW_PASSED = "appeal_window_passed"
    ALREADY_SUPPORTED = "already_supported"
    OWN_REPORT = "own_report"
    SUPPORT_CLOSED = "support_closed"
    SUPPORT_LINK_INVALID = "support_link_invalid"
