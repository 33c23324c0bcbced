"""Partner systems: a province's own e-LAPOR!, a city's complaint app, a state company's desk.

A partner acts through its own service account (``Partner.user``): that account is the actor of
every event the partner causes, and its ``Membership`` rows of role ``partner`` are the agencies
the partner speaks for (their subtrees), so ``reports.permissions.authorize`` scopes it like any
officer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_ACTIVE_KEYS = 2  # the old and the new key work side by side while a partner rotates


class Partner(models.Model):
    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner"
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sistem mitra")
        verbose_name_plural = _("sistem mitra")

    def __str__(self) -> str:
        return self.name


class PartnerKey(models.Model):
    """Client credentials: ``key_id`` is public; only the SHA-256 of the 256-bit random secret
    is stored (a secret of that entropy needs no slow hash)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="keys")
    key_id = models.CharField(max_length=40, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kunci mitra")
        verbose_name_plural = _("kunci mitra")
        indexes = [
            models.Index(
                fields=["partner"], name="partnerkey_active", condition=Q(revoked_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return self.key_id


from lapor.api.partner.records import IdempotencyRecord, PartnerReport  # noqa: E402, F401
from lapor.api.tokens import ApiToken  # noqa: E402, F401  (the bearer tokens' model)
from lapor.api.webhooks.models import WebhookDelivery, WebhookEndpoint  # noqa: E402, F401
