"""Outgoing notifications, read-only, with one action: send the chosen ones again.

Shown by their report's tracking ID, kind, channel and delivery state only: a notification's
recipient is a reporter's or supporter's address (an anonim reporter's too) and its text quotes
messages to them, so neither is shown, searched, or echoed in a delivery error here."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lapor.core import ids
from lapor.notifications.models import Notification
from lapor.notifications.services import schedule_delivery
from lapor.reports.admin import NoObjectTitle, ReadOnlyAdmin, TrackingIdSearch, is_national_admin

S = Notification.Status


CONTACT = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|\+?\d[\d ()-]{6,}\d")


@admin.register(Notification)
class NotificationAdmin(NoObjectTitle, TrackingIdSearch, ReadOnlyAdmin):
    list_display = (
        "created_at", "tracking_id", "kind", "channel", "status", "attempts", "sent_at",
        "short_error",
    )  # fmt: skip
    list_display_links = None  # no detail page: it would show the recipient and the text
    list_filter = ("status", "channel", "kind")
    list_select_related = ("report",)
    search_fields = ("=report__tracking_id",)
    ordering = ("-pk",)
    show_full_result_count = False
    actions = ("send_again",)

    @admin.display(description=_("laporan"), ordering="report_id")
    def tracking_id(self, notification: Notification) -> str:
        return ids.display(notification.report.tracking_id) if notification.report else "—"

    @admin.display(description=_("galat terakhir"))
    def short_error(self, notification: Notification) -> str:
        error = CONTACT.sub("…", notification.last_error)
        return f"{error[:80]}…" if len(error) > 80 else error

    def label(self, obj: Notification) -> str:
        return f"{self.tracking_id(obj)} {obj.kind} {obj.get_channel_display()}"

    def change_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raise Http404

    def has_resend_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return user.has_perm("notifications.change_notification") or is_national_admin(user)

    @admin.action(description=_("Kirim ulang notifikasi terpilih"), permissions=["resend"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        """Put the chosen notifications back in the queue, attempts reset; one being sent
        right now is left to its worker."""
        with transaction.atomic():
            pks = list(
                queryset.exclude(status=S.SENDING).select_for_update().values_list("pk", flat=True)
            )
            Notification.objects.filter(pk__in=pks).exclude(status=S.SENDING).update(
                status=S.PENDING, attempts=0, last_error="", next_attempt_at=timezone.now(),
                claimed_at=None,
            )  # fmt: skip
            schedule_delivery(pks)
        skipped = queryset.count() - len(pks)
        self.message_user(
            request,
            ngettext(
                "%(count)d notifikasi dijadwalkan untuk dikirim ulang.",
                "%(count)d notifikasi dijadwalkan untuk dikirim ulang.",
                len(pks),
            )
            % {"count": len(pks)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                _(
                    "%(count)d notifikasi sedang dikirim dan tidak dijadwalkan ulang; "
                    "periksa lagi statusnya sebentar lagi."
                )
                % {"count": skipped},
                messages.WARNING,
            )
