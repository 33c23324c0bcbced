from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account: a reporter, an officer, or both."""

    phone = models.CharField(_("nomor telepon"), max_length=32, blank=True, db_index=True)
    # The language of the pages the person last registered or signed in with ("id", "en"; ""
    # before the first sign-in): messages sent while they are away (an SMS reset code) use it.
    language = models.CharField(_("bahasa"), max_length=8, blank=True, default="")

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class PasswordResetCode(models.Model):
    """A short code sent by SMS to reset a password (``accounts.sms_reset``). Only an HMAC of
    the code is kept; a row is spent when used, when a newer code replaces it, after
    ``MAX_ATTEMPTS`` wrong tries, or when it expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reset_codes")
    code_hash = models.CharField(max_length=64)
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    spent_at = models.DateTimeField(null=True, blank=True)
    # The outbox row that carried the code: blanked once the code is spent.
    notification_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("kode atur ulang kata sandi")
        verbose_name_plural = _("kode atur ulang kata sandi")
        indexes = [models.Index(fields=["user", "created_at"], name="reset_code_user_created")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"
