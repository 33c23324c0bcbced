"""What GeoReport v2 shows of a category (a *service*) and of a public report (a *service
request*). Every field of a report is read through ``reports.privacy``: the public's view, never
the reporter's identity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.categories.models import Category
from lapor.regions.models import Region
from lapor.reports import privacy
from lapor.reports.lifecycle import OPEN
from lapor.reports.models import Report
from lapor.reports.privacy import Audience

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint last changed what it answers (the discovery's ``changeset``).
CHANGESET = "2026-12-07T00:00:00Z"
# The one attribute every service takes: the report's type (Report.Type).
TYPE_ATTRIBUTE = "report_type"


def w3c(moment: datetime | None) -> str | None:
    """A W3C datetime with its offset (``2026-12-07T14:05:00+07:00``), in the server's zone."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": str(category),
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(str(k) for k in category.keywords),
        "group": category.parent.name if category.parent else category.name,
    }


def service_definition(category: Category) -> dict[str, Any]:
    values = [{"key": value, "name": str(label)} for value, label in Report.Type.choices]
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": TYPE_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("Jenis laporan; bila kosong: pengaduan."),
                "order": 1,
                "description": _("Jenis laporan"),
                "values": values,
            }
        ],
    }


def _address(region: Region) -> str:
    names = []
    node: Region | None = region
    while node is not None:
        names.append(node.name)
        node = node.parent
    return ", ".join(names)


def _description(report: Report) -> str:
    if report.body.startswith(report.title):
        return report.body
    return f"{report.title}\n\n{report.body}"


def _status_notes(report: Report) -> str | None:
    answers = [
        e
        for e in privacy.timeline(report, report.events.all(), Audience.PUBLIC)
        if e.action in privacy.PUBLIC_MESSAGE_ACTIONS and e.message
    ]
    return answers[-1].message if answers else None


def service_request(report: Report, base_url: str) -> dict[str, Any]:
    """One public report; the caller has checked ``privacy.is_public``."""
    assert privacy.is_public(report)
    agency = report.handling_agency
    media = [
        base_url + reverse("attachments:portal", args=[a.pk])
        for a in report.attachments.all()  # prefetched by the view, in pk order
        if privacy.may_see_attachment(a, Audience.PUBLIC)
    ]
    return {
        "service_request_id": report.tracking_id,
        "status": "open" if report.status in OPEN else "closed",
        "status_notes": _status_notes(report),
        "service_name": report.category.name if report.category else None,
        "service_code": report.category.code if report.category else None,
        "description": _description(report),
        "agency_responsible": agency.name if agency else None,
        "service_notice": None,
        "requested_datetime": w3c(report.submitted_at),
        "updated_datetime": w3c(report.updated_at),
        "expected_datetime": w3c(report.completion_due_at),
        "address": _address(report.region),
        "address_id": None,
        "zipcode": None,
        "lat": privacy.public_coordinate(report.latitude),  # ~110 m, as on the public map
        "long": privacy.public_coordinate(report.longitude),
        "media_url": media[0] if media else None,
    }
