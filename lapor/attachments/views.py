"""The one way to an attachment's bytes. Who may see which file is decided by
``reports.privacy.may_see_attachment``; whoever may not gets the same 404 as for a file that
does not exist. An officer opening a file of a rahasia report leaves an ``AccessRecord``.

In production the bytes are handed to the reverse proxy (``X-Accel-Redirect`` to the internal
location ``LAPOR_ATTACHMENT_ACCEL_PREFIX``, see docs/operations.md); on object storage
(``lapor.core.storage``) the answer is a redirect to a URL signed for a short time, or the
object streamed (``LAPOR_ATTACHMENT_DELIVERY``); otherwise they are streamed from Django's
default storage. Only a request that passed the access check gets any of these."""

from __future__ import annotations

from typing import cast
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from lapor.backoffice.access import officer_required
from lapor.backoffice.views.detail import acting_agency, reachable_report
from lapor.core import storage, thumbnails
from lapor.portal.reporter_session import audience_for
from lapor.reports.models import AccessRecord, Attachment
from lapor.reports.privacy import Audience, may_see_attachment
from lapor.reports.services import record_access

# Shown in the browser; anything else is offered as a download.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})


def _attachment(pk: int) -> Attachment:
    attachment = Attachment.objects.select_related("report").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment


@require_safe
def portal_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A file for its reporter, or a public one for anybody."""
    attachment = _attachment(pk)
    mine = audience_for(request, attachment.report) == Audience.REPORTER
    audience = Audience.REPORTER if mine else Audience.PUBLIC
    if not may_see_attachment(attachment, audience):
        raise Http404
    return _respond(attachment, public=audience == Audience.PUBLIC)


@require_safe
def portal_thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo's thumbnail (``core.thumbnails``), after the photo's own check: whoever may see
    the photo may see its small copy, nobody else. A photo without one gets the photo."""
    attachment = _attachment(pk)
    mine = audience_for(request, attachment.report) == Audience.REPORTER
    audience = Audience.REPORTER if mine else Audience.PUBLIC
    if not may_see_attachment(attachment, audience):
        raise Http404
    if not attachment.thumbnail.name:
        return _respond(attachment, public=audience == Audience.PUBLIC)
    return _respond(
        attachment,
        public=audience == Audience.PUBLIC,
        name=attachment.thumbnail.name,
        content_type=thumbnails.CONTENT_TYPE,
    )


@require_safe
@officer_required
def officer_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A file of a report the officer may open at their desk (the detail page's own rule)."""
    attachment = _attachment(pk)
    report = reachable_report(request, attachment.report.tracking_id)
    if not may_see_attachment(attachment, Audience.OFFICER):
        raise Http404
    if report.is_confidential:
        record_access(
            report=report,
            actor=request.user,  # type: ignore[arg-type]
            kind=AccessRecord.Kind.ATTACHMENT,
            attachment=attachment,
            agency=acting_agency(request, report),
        )
    return _respond(attachment, public=False)


def _respond(
    attachment: Attachment, *, public: bool, name: str = "", content_type: str = ""
) -> HttpResponse:
    """The file's headers, and its bytes streamed or handed to the proxy. (A ``FileResponse``
    streams; it is returned as an ``HttpResponse`` because the back office's decorators are
    typed so, and Django treats both alike.) ``name`` and ``content_type`` name another
    stored file of the attachment (its thumbnail)."""
    name = name or attachment.file.name or ""
    content_type = content_type or attachment.content_type
    if not name:
        raise Http404
    disposition = str(
        content_disposition_header(
            as_attachment=content_type not in INLINE_TYPES,
            filename=attachment.original_name,
        )
    )
    cache_control = "private, max-age=300" if public else "private, no-store"
    remote = storage.on_object_storage()
    prefix = "" if remote else settings.LAPOR_ATTACHMENT_ACCEL_PREFIX
    response: HttpResponse | FileResponse
    if remote and settings.LAPOR_ATTACHMENT_DELIVERY == "redirect":
        # The signed URL is a pass to the bytes for a short time: the redirect itself is
        # never stored, and the store answers with the headers below (signed parameters).
        url = storage.signed_url(
            name, content_type=content_type, disposition=disposition,
            cache_control=cache_control,
        )  # fmt: skip
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(name)
    else:
        try:
            stream = default_storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(stream, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    # A public file may stop being public (the report made rahasia): only the browser that
    # saw it keeps it, and not for long; no shared cache ever holds a private one.
    response["Cache-Control"] = cache_control
    response["Referrer-Policy"] = "no-referrer"
    return cast(HttpResponse, response)
