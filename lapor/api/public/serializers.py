"""The public shapes. Read-only, one serializer per shape; never shared with a private API
(a field added to an officer's shape cannot leak here)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lapor.agencies.models import Agency
from lapor.api.base import BoundedDateField, StrictCharField, StrictSerializer
from lapor.categories.models import Category
from lapor.regions.models import Region
from lapor.reports import privacy
from lapor.reports.lifecycle import Status
from lapor.reports.models import Attachment, Report
from lapor.reports.privacy import Audience, TimelineEntry


class CategorySerializer(serializers.ModelSerializer[Category]):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["code", "name", "parent"]

    def get_name(self, category: Category) -> str:
        if get_language() == "en" and category.name_en:
            return category.name_en
        return category.name


class RegionSerializer(serializers.ModelSerializer[Region]):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent"]


class AgencySerializer(serializers.ModelSerializer[Agency]):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "kind", "parent"]


class NamedRefSerializer(serializers.Serializer[Any]):
    """A related object as its code and name."""

    code = serializers.CharField()
    name = serializers.CharField()


class ReportListSerializer(serializers.ModelSerializer[Report]):
    """A row of the public list: no text beyond the title, no reporter."""

    tracking_id = serializers.CharField()
    category = CategorySerializer()
    region = NamedRefSerializer()
    agency = NamedRefSerializer(allow_null=True)
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Report
        fields = [
            "tracking_id",
            "title",
            "type",
            "category",
            "region",
            "agency",
            "status",
            "status_label",
            "submitted_at",
            "updated_at",
            "support_count",
        ]


class TimelineEntrySerializer(serializers.Serializer[TimelineEntry]):
    action = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField()
    message = serializers.CharField()
    agency_name = serializers.CharField()
    from_reporter = serializers.BooleanField()


class PublicAttachmentSerializer(serializers.ModelSerializer[Attachment]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "url"]

    def get_url(self, attachment: Attachment) -> str:
        path = reverse("attachments:portal", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ReportDetailSerializer(ReportListSerializer):
    """One public report: its text, the reporter's public name, the public history and photos.
    Built only from a report ``privacy.public_reports()`` returned."""

    reporter_name = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(ReportListSerializer.Meta):
        fields = [
            *ReportListSerializer.Meta.fields,
            "body",
            "incident_date",
            "due_at",
            "answered_at",
            "closed_at",
            "reporter_name",
            "timeline",
            "attachments",
        ]

    def get_reporter_name(self, report: Report) -> str:
        return privacy.reporter_name(report, Audience.PUBLIC)

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        entries = privacy.timeline(report, self.context["events"], Audience.PUBLIC)
        return list(TimelineEntrySerializer(entries, many=True).data)

    @extend_schema_field(PublicAttachmentSerializer(many=True))
    def get_attachments(self, report: Report) -> list[dict[str, Any]]:
        files = privacy.public_attachments(report)
        return list(PublicAttachmentSerializer(files, many=True, context=self.context).data)


class TrackSerializer(serializers.Serializer[Report]):
    """What the track page shows a visitor holding only the tracking ID (``Audience.TRACKER``):
    the steps and the deadlines of any report; the title and text only of a public one."""

    tracking_id = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    agency = NamedRefSerializer(allow_null=True)
    unit = NamedRefSerializer(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    followup_due_at = serializers.DateTimeField(allow_null=True)
    completion_due_at = serializers.DateTimeField(allow_null=True)
    is_public = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    def get_is_public(self, report: Report) -> bool:
        return privacy.is_public(report)

    def _content(self, report: Report, value: str) -> str | None:
        return value if privacy.shows_content(report, Audience.TRACKER) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_title(self, report: Report) -> str | None:
        return self._content(report, report.title)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_body(self, report: Report) -> str | None:
        return self._content(report, report.body)

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        entries = privacy.timeline(report, self.context["events"], Audience.TRACKER)
        return list(TimelineEntrySerializer(entries, many=True).data)


class SimilarReportSerializer(ReportListSerializer):
    similarity = serializers.FloatField(
        help_text="Kemiripan teks 0-1 / text similarity 0-1 (low for a same-street match)"
    )
    same_kabkota = serializers.BooleanField()
    same_street = serializers.BooleanField(
        help_text="Ditemukan karena jalan/desa dan masalahnya sama, walau kata-katanya lain / "
        "found because it names the same street or village and the same kind of problem, "
        "however worded (then ``similarity`` is low and says nothing)"
    )

    class Meta(ReportListSerializer.Meta):
        fields = [*ReportListSerializer.Meta.fields, "similarity", "same_kabkota", "same_street"]


class ReportFilterSerializer(serializers.Serializer[Any]):
    """The public list's filters (as the portal's list page): every one optional."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    region = serializers.CharField(required=False, allow_blank=True, max_length=13)
    category = serializers.CharField(required=False, allow_blank=True, max_length=80)
    agency = serializers.CharField(required=False, allow_blank=True, max_length=64)
    status = serializers.ChoiceField(
        required=False, allow_blank=True, choices=["open", "finished", *Status.values]
    )
    since = BoundedDateField(required=False)
    until = BoundedDateField(required=False)


class SimilarQuerySerializer(StrictSerializer):
    """The text being typed and where (a kabupaten/kota or province code)."""

    region = StrictCharField(max_length=13)
    title = StrictCharField(required=False, allow_blank=True, max_length=200, default="")
    text = StrictCharField(max_length=5000)
