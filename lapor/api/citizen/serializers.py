"""The citizen API's shapes: input (``StrictSerializer``: an unknown field is refused) and the
reporter's own view of a report (``Audience.REPORTER``), never shared with the public API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lapor.api.base import StrictCharField, StrictSerializer
from lapor.reports import privacy
from lapor.reports.models import Report
from lapor.reports.privacy import Audience, TimelineEntry


class RegisterSerializer(StrictSerializer):
    name = StrictCharField(max_length=150)
    identifier = StrictCharField(max_length=254, help_text="E-mail or phone number")
    password = StrictCharField(max_length=128, trim_whitespace=False)


class ActivateSerializer(StrictSerializer):
    uid = StrictCharField(max_length=64)
    token = StrictCharField(max_length=64)


class LoginSerializer(StrictSerializer):
    identifier = StrictCharField(max_length=254, help_text="E-mail, phone number or username")
    password = StrictCharField(max_length=128, trim_whitespace=False)


class RefreshSerializer(StrictSerializer):
    refresh = StrictCharField(max_length=200)


class RevokeSerializer(StrictSerializer):
    token = StrictCharField(max_length=200, required=False)


class TokenPairSerializer(serializers.Serializer[Any]):
    access = serializers.CharField()
    refresh = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_in = serializers.IntegerField(help_text="Seconds the access token lives")


class DetailSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()


class SubmitSerializer(StrictSerializer):
    """A report, sent as multipart (``attachments``: files) or JSON (no files)."""

    type = serializers.ChoiceField(choices=Report.Type.choices)
    title = StrictCharField(max_length=200)
    text = StrictCharField()
    region = StrictCharField(max_length=20)
    category = StrictCharField(max_length=20, required=False, allow_blank=True)
    is_anonymous = serializers.BooleanField(default=True)
    is_confidential = serializers.BooleanField(default=True)
    contact_name = StrictCharField(max_length=120, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = StrictCharField(max_length=32, required=False, allow_blank=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    incident_date = serializers.DateField(required=False)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, max_length=5)


class SubmittedSerializer(serializers.Serializer[Any]):
    tracking_id = serializers.CharField()
    secret = serializers.CharField(
        allow_blank=True, help_text="The guest secret, shown once (empty for an account)"
    )
    status = serializers.CharField()
    version = serializers.IntegerField()


class SecretSerializer(StrictSerializer):
    """Every reporter action: ``secret`` for a guest (or the ``X-Report-Secret`` header)."""

    secret = StrictCharField(max_length=64, required=False, allow_blank=True)


class VersionedSerializer(SecretSerializer):
    expected_version = serializers.IntegerField(
        min_value=0, help_text="The report's `version` as last read: 409 if it changed since"
    )


class ReplySerializer(VersionedSerializer):
    message = StrictCharField(max_length=5000)


class RateSerializer(VersionedSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = StrictCharField(max_length=2000, required=False, allow_blank=True)


class ReopenSerializer(VersionedSerializer):
    reason = StrictCharField(max_length=5000)


class ConsentSerializer(VersionedSerializer):
    is_anonymous = serializers.BooleanField()
    is_confidential = serializers.BooleanField()


class SupportSerializer(StrictSerializer):
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = StrictCharField(max_length=32, required=False, allow_blank=True)


class SupportedSerializer(serializers.Serializer[Any]):
    tracking_id = serializers.CharField()
    support_count = serializers.IntegerField()
    confirmation_sent = serializers.BooleanField(
        help_text="A guest: the link to confirm was sent; the support counts once it is opened"
    )


class TimelineSerializer(serializers.Serializer[TimelineEntry]):
    action = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField()
    message = serializers.CharField()
    agency_name = serializers.CharField()
    from_reporter = serializers.BooleanField()


class MyReportSerializer(serializers.ModelSerializer[Report]):
    """One line of "my reports"."""

    status_label = serializers.CharField(source="get_status_display")
    version = serializers.IntegerField(source="event_count")

    class Meta:
        model = Report
        fields = ["tracking_id", "title", "status", "status_label", "submitted_at", "version"]


class ReporterReportSerializer(serializers.ModelSerializer[Report]):
    """The reporter's own view of their report (``Audience.REPORTER``)."""

    status_label = serializers.CharField(source="get_status_display")
    version = serializers.IntegerField(source="event_count")
    text = serializers.CharField(source="body")
    region = serializers.CharField(source="region.name")
    category = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()
    reporter_name = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "tracking_id",
            "type",
            "title",
            "text",
            "status",
            "status_label",
            "version",
            "region",
            "category",
            "agency",
            "is_anonymous",
            "is_confidential",
            "submitted_at",
            "due_at",
            "rating",
            "support_count",
            "reporter_name",
            "contact",
            "timeline",
            "attachments",
        ]

    def get_category(self, report: Report) -> str | None:
        return report.category.name if report.category else None

    def get_agency(self, report: Report) -> str | None:
        return report.agency.name if report.agency else None

    def get_reporter_name(self, report: Report) -> str:
        return privacy.reporter_name(report, Audience.REPORTER)

    def get_contact(self, report: Report) -> dict[str, str]:
        return privacy.reporter_contact(report, Audience.REPORTER)

    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        entries = privacy.timeline(report, self.context["events"], Audience.REPORTER)
        return list(TimelineSerializer(entries, many=True).data)

    def get_attachments(self, report: Report) -> list[dict[str, Any]]:
        return [
            {"name": a.original_name, "content_type": a.content_type, "size": a.size}
            for a in report.attachments.all()
            if privacy.may_see_attachment(a, Audience.REPORTER)
        ]
