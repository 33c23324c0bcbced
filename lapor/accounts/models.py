from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account: a reporter, an officer, or both."""

    phone = models.CharField(_("nomor telepon"), max_length=32, blank=True, db_index=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def display_name(self) -> str:
        return self.get_full_name() or self.username
