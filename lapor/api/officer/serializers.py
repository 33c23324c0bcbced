"""The officer API's shapes: input (``StrictSerializer``), one per action so the OpenAPI
document says exactly what each takes, and the officer's view of a report
(``Audience.OFFICER``: an anonim reporter's identity never appears), never shared with the
public or the citizen API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lapor.api.base import BoundedDateField, StrictCharField, StrictSerializer
from lapor.reports import privacy
from lapor.reports.lifecycle import Action
from lapor.reports.models import Report
from lapor.reports.privacy import Audience, TimelineEntry
from lapor.reports.selectors_backoffice import QueueFilter


class OfficerLoginSerializer(StrictSerializer):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=128, trim_whitespace=False)
    totp = StrictCharField(max_length=12, help_text="The authenticator app's current code")


class OfficerRefreshSerializer(StrictSerializer):
    refresh = StrictCharField(max_length=200)


class OfficerTokenPairSerializer(serializers.Serializer[Any]):
    access = serializers.CharField()
    refresh = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_in = serializers.IntegerField(help_text="Seconds the access token lives")


class QueueQuerySerializer(StrictSerializer):
    """The back office's queue filters (``QueueFilter``) as query parameters."""

    q = StrictCharField(max_length=200, required=False, allow_blank=True)
    status = StrictCharField(max_length=20, required=False, allow_blank=True)
    category = StrictCharField(max_length=20, required=False, allow_blank=True)
    region = StrictCharField(max_length=20, required=False, allow_blank=True)
    channel = StrictCharField(max_length=10, required=False, allow_blank=True)
    due_by = BoundedDateField(required=False)
    privacy = serializers.ChoiceField(
        choices=["anonim", "rahasia", "publik"], required=False, allow_blank=True
    )
    cursor = StrictCharField(required=False, allow_blank=True)
    limit = StrictCharField(required=False, allow_blank=True)

    def to_filter(self) -> QueueFilter:
        d = self.validated_data
        names = ("q", "status", "category", "region", "channel", "due_by", "privacy")
        return QueueFilter(**{k: d[k] for k in names if d.get(k) not in (None, "")})


class QueueReportSerializer(serializers.ModelSerializer[Report]):
    status_label = serializers.CharField(source="get_status_display")
    version = serializers.IntegerField(source="event_count")
    region = serializers.CharField(source="region.name")
    agency = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "tracking_id",
            "title",
            "status",
            "status_label",
            "version",
            "region",
            "agency",
            "unit",
            "is_anonymous",
            "is_confidential",
            "submitted_at",
            "due_at",
            "overdue_since",
        ]

    def get_agency(self, report: Report) -> str | None:
        return report.agency.code if report.agency else None

    def get_unit(self, report: Report) -> str | None:
        return report.unit.code if report.unit else None


class OfficerTimelineSerializer(serializers.Serializer[TimelineEntry]):
    action = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField()
    message = serializers.CharField()
    agency_name = serializers.CharField()
    from_reporter = serializers.BooleanField()


class OfficerReportSerializer(QueueReportSerializer):
    """One report as an officer reaching it sees it (``Audience.OFFICER``). The contact
    details are not here: ``GET .../contact`` shows them and records who read them."""

    text = serializers.CharField(source="body")
    category = serializers.SerializerMethodField()
    reporter_name = serializers.SerializerMethodField()
    has_contact = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(QueueReportSerializer.Meta):
        fields = [
            *QueueReportSerializer.Meta.fields,
            "type",
            "text",
            "category",
            "channel",
            "support_count",
            "rating",
            "reporter_name",
            "has_contact",
            "timeline",
            "attachments",
            "actions",
        ]

    def get_category(self, report: Report) -> str | None:
        return report.category.code if report.category else None

    def get_reporter_name(self, report: Report) -> str:
        return privacy.reporter_name(report, Audience.OFFICER)

    def get_has_contact(self, report: Report) -> bool:
        return any(privacy.reporter_contact(report, Audience.OFFICER).values())

    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        entries = privacy.timeline(report, self.context["events"], Audience.OFFICER)
        return list(OfficerTimelineSerializer(entries, many=True).data)

    def get_attachments(self, report: Report) -> list[dict[str, Any]]:
        return [
            {"name": a.original_name, "content_type": a.content_type, "size": a.size}
            for a in report.attachments.all()
            if privacy.may_see_attachment(a, Audience.OFFICER)
        ]

    def get_actions(self, report: Report) -> list[str]:
        return [str(a) for a in self.context["actions"]]


class LeftSerializer(serializers.ModelSerializer[Report]):
    """After an action that took the report out of the officer's subtree (forwarded, sent back
    to triage): only where it stands now."""

    class Meta:
        model = Report
        fields = ["tracking_id", "status"]


class ContactSerializer(serializers.Serializer[Any]):
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)


# --- one input shape per action ----------------------------------------------------------


class ActionSerializer(StrictSerializer):
    expected_version = serializers.IntegerField(
        min_value=0, help_text="The report's `version` as last read: 409 if it changed since"
    )


def _text(required: bool = True) -> StrictCharField:
    return StrictCharField(max_length=5000, required=required, allow_blank=not required)


def _code() -> StrictCharField:
    return StrictCharField(max_length=40)


class TriageSerializer(ActionSerializer):
    reason = _text(required=False)


class DisposeSerializer(ActionSerializer):
    to_agency = _code()
    note = _text(required=False)


class DisposeUnitSerializer(ActionSerializer):
    unit = _code()
    note = _text(required=False)


class HoldSerializer(ActionSerializer):
    until = BoundedDateField(help_text="The last day of the hold (the agency's time zone)")
    reason = _text()


class ResumeSerializer(ActionSerializer):
    reason = _text(required=False)


class NotAuthoritySerializer(ActionSerializer):
    reason = _text()
    suggested = StrictCharField(max_length=40, required=False, allow_blank=True)


class ForwardSerializer(ActionSerializer):
    to_agency = _code()
    reason = _text()


class RequestInfoSerializer(ActionSerializer):
    question = _text()


class MessageSerializer(ActionSerializer):
    message = _text()


class CompleteSerializer(ActionSerializer):
    message = _text(required=False)


class NoteSerializer(StrictSerializer):
    """An internal note: no ``expected_version`` (a note never conflicts)."""

    note = _text()


class ChangeCategorySerializer(ActionSerializer):
    category = _code()


class SetPrivacySerializer(ActionSerializer):
    is_anonymous = serializers.BooleanField()
    is_confidential = serializers.BooleanField()
    reason = _text(required=False)


class MergeSerializer(ActionSerializer):
    into = StrictCharField(max_length=20, help_text="The tracking ID of the report kept")
    reason = _text(required=False)


class ArchiveSerializer(ActionSerializer):
    reason = _text()


ACTION_SERIALIZERS: dict[str, type[StrictSerializer]] = {
    Action.TRIAGE: TriageSerializer,
    Action.DISPOSE: DisposeSerializer,
    Action.DISPOSE_UNIT: DisposeUnitSerializer,
    Action.HOLD: HoldSerializer,
    Action.RESUME: ResumeSerializer,
    Action.NOT_AUTHORITY: NotAuthoritySerializer,
    Action.FORWARD: ForwardSerializer,
    Action.REQUEST_INFO: RequestInfoSerializer,
    Action.FOLLOW_UP: MessageSerializer,
    Action.COMPLETE: CompleteSerializer,
    Action.NOTE: NoteSerializer,
    Action.CHANGE_CATEGORY: ChangeCategorySerializer,
    Action.SET_PRIVACY: SetPrivacySerializer,
    Action.MERGE: MergeSerializer,
    Action.ARCHIVE: ArchiveSerializer,
}
