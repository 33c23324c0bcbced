"""The partner API's shapes: its own input serializers (``StrictSerializer``: an unknown field
is an error) and its own output of a report and of an event, never the public ones (STYLE 7).
What a partner may see of a reporter is asked of ``reports.privacy`` (``Audience.OFFICER``:
the content of a report disposed to it, the identity only when not anonim)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lapor.api.base import BoundedDateField, StrictCharField, StrictSerializer
from lapor.reports import privacy
from lapor.reports.models import Report

ACTIONS = (
    "follow_up",
    "request_info",
    "note",
    "hold",
    "resume",
    "complete",
    "dispose_unit",
    "not_authority",
)


class TokenSerializer(serializers.Serializer[Any]):
    access_token = serializers.CharField()
    token_type = serializers.CharField(default="Bearer")
    expires_in = serializers.IntegerField(help_text="Detik / seconds")


class TokenRequestSerializer(serializers.Serializer[Any]):
    grant_type = serializers.ChoiceField(choices=["client_credentials"])
    client_id = serializers.CharField(required=False, help_text="Or HTTP Basic")
    client_secret = serializers.CharField(required=False, help_text="Or HTTP Basic")


class StrictBooleanField(serializers.BooleanField):
    """``true``/``false`` only: ``"yes"`` or ``1`` for anonim/rahasia is a client's bug."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class AttachmentInSerializer(StrictSerializer):
    name = StrictCharField(max_length=200)
    content_base64 = StrictCharField(help_text="Isi berkas dalam base64 / file bytes, base64")


class ContactSerializer(StrictSerializer):
    name = StrictCharField(max_length=150, required=False, allow_blank=True)
    email = StrictCharField(max_length=254, required=False, allow_blank=True)
    phone = StrictCharField(max_length=32, required=False, allow_blank=True)


class InboundReportSerializer(StrictSerializer):
    external_id = StrictCharField(max_length=100)
    external_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    type = serializers.ChoiceField(choices=Report.Type.choices)
    title = StrictCharField(max_length=200)
    body = StrictCharField(max_length=10000)
    category = StrictCharField(max_length=40, required=False, help_text="Kode kategori")
    region = StrictCharField(max_length=20, help_text="Kode wilayah Kemendagri")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    incident_date = BoundedDateField(required=False)
    is_anonymous = StrictBooleanField(default=True, help_text="Anonim (default true)")
    is_confidential = StrictBooleanField(default=True, help_text="Rahasia (default true)")
    contact = ContactSerializer(required=False)
    attachments = AttachmentInSerializer(many=True, required=False)


class InboundMultipartSerializer(StrictSerializer):
    """``multipart/form-data``: the report as the JSON part ``report`` (the
    ``application/json`` body's document), its files as ``attachments`` parts (the view reads
    the parts; this shape is the document's)."""

    report = InboundReportSerializer(help_text="JSON (Content-Type: application/json)")
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Foto (JPG, PNG, WEBP) atau PDF / photos or PDFs, one part each",
    )


class CreatedSerializer(serializers.Serializer[Any]):
    tracking_id = serializers.CharField()
    status = serializers.CharField()
    url = serializers.URLField()


class ActionSerializer(StrictSerializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    message = StrictCharField(required=False, allow_blank=True, max_length=10000)
    expected_version = serializers.IntegerField(
        min_value=0, help_text="``version`` dari bacaan terakhir / from the last read"
    )
    until = serializers.DateTimeField(required=False, help_text="hold: sampai kapan / until")
    unit = StrictCharField(required=False, help_text="dispose_unit: kode unit / unit code")
    suggested_agency = StrictCharField(
        required=False, help_text="not_authority: kode instansi yang disarankan"
    )


class ReporterSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class EntrySerializer(serializers.Serializer[Any]):
    action = serializers.CharField()
    label = serializers.CharField()
    at = serializers.DateTimeField()
    message = serializers.CharField()
    agency_name = serializers.CharField()
    from_reporter = serializers.BooleanField()


class PartnerReportSerializer(serializers.Serializer[Any]):
    """A report as the partner's desk sees it (the instance is the ``Report``; the context
    holds ``timeline``)."""

    tracking_id = serializers.CharField()
    version = serializers.IntegerField(source="event_count")
    type = serializers.CharField()
    status = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    category = serializers.CharField(source="category.code", default=None, allow_null=True)
    region = serializers.CharField(source="region.code")
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)
    unit = serializers.CharField(source="unit.code", default=None, allow_null=True)
    is_anonymous = serializers.BooleanField()
    is_confidential = serializers.BooleanField()
    channel = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    external_id = serializers.SerializerMethodField()
    reporter = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_external_id(self, report: Report) -> str | None:
        origin = getattr(report, "partner_origin", None)
        partner = self.context.get("partner")
        if origin is None or partner is None or origin.partner_id != partner.pk:
            return None
        return str(origin.external_id)

    @extend_schema_field(ReporterSerializer)
    def get_reporter(self, report: Report) -> dict[str, str]:
        contact = privacy.reporter_contact(report, privacy.Audience.OFFICER)
        return {
            "name": privacy.reporter_name(report, privacy.Audience.OFFICER),
            "email": contact.get("email", ""),
            "phone": contact.get("phone", ""),
        }

    @extend_schema_field(EntrySerializer(many=True))
    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        entries = self.context.get("timeline", [])
        return list(EntrySerializer(entries, many=True).data)


class ChangeSerializer(serializers.Serializer[Any]):
    """One event of a report in the partner's agencies: what happened, never who the reporter
    is (no actor, no event ``data``); the message as ``privacy.timeline`` shows it to an officer
    (the view leaves out internal events but the partner's own notes)."""

    tracking_id = serializers.CharField(source="report.tracking_id")
    version = serializers.IntegerField(source="seq", help_text="The report's version after it")
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor_role = serializers.CharField(help_text="Peran pelaku / the actor's role")
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True)
    is_internal = serializers.BooleanField()
    message = serializers.CharField()
    created_at = serializers.DateTimeField()


class ChangesSerializer(serializers.Serializer[Any]):
    results = ChangeSerializer(many=True)
    next_cursor = serializers.CharField(help_text="Selalu ada / always present")
