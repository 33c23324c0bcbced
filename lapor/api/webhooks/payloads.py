"""What a webhook tells a partner: its own serializer, the private partner shape.

Decided (docs/api.md, "Webhook"): a payload names the report and what happened to it, and
nothing personal: never the reporter's identity (not even of a report that is not anonim),
never a message or the report's text. The partner fetches the details with its own token,
through the partner API, where its scope and the report's privacy are checked at that moment,
so a report made anonim or rahasia later is not leaked by a message sent earlier."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from rest_framework import serializers

from lapor.reports.models import Report, ReportEvent


class WebhookData(serializers.Serializer[dict[str, Any]]):
    tracking_id = serializers.CharField()
    seq = serializers.IntegerField(help_text="Nomor urut peristiwa laporan (event seq).")
    action = serializers.CharField()
    status = serializers.CharField()
    agency = serializers.CharField(allow_null=True, help_text="Kode instansi penanggung jawab.")
    unit = serializers.CharField(allow_null=True, help_text="Kode unit kerja, bila ada.")
    due_at = serializers.DateTimeField(allow_null=True)
    rating = serializers.IntegerField(required=False)
    merged_into = serializers.CharField(required=False)
    anonymous = serializers.BooleanField(required=False)
    confidential = serializers.BooleanField(required=False)


class WebhookEvent(serializers.Serializer[dict[str, Any]]):
    type = serializers.CharField()
    timestamp = serializers.DateTimeField()
    data = WebhookData()


def build(
    *, event_type: str, report: Report, event: ReportEvent, codes: dict[int, str]
) -> dict[str, Any]:
    """The payload of one event (``codes``: agency id → code, for the report's handlers)."""
    data: dict[str, Any] = {
        "tracking_id": report.tracking_id,
        "seq": event.seq,
        "action": event.action,
        "status": report.status,
        "agency": codes.get(report.agency_id or 0),
        "unit": codes.get(report.unit_id or 0),
        "due_at": report.due_at,
    }
    if event_type == "report.rated" and report.rating is not None:
        data["rating"] = report.rating
    if event_type == "report.merged" and event.data.get("into"):
        data["merged_into"] = event.data["into"]
    if event_type == "report.privacy_changed":
        data["anonymous"] = bool(report.is_anonymous)
        data["confidential"] = bool(report.is_confidential)
    return dict(
        WebhookEvent(
            {
                "type": event_type,
                "timestamp": event.created_at.astimezone(UTC),
                "data": data,
            }
        ).data
    )
