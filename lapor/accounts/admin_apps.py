"""``django.contrib.admin`` with the two-factor admin site (``accounts.admin_site``) as
``admin.site``. Kept apart from the site: an app config is imported before any model is."""

from django.contrib.admin.apps import AdminConfig


class LaporAdminConfig(AdminConfig):
    default_site = "lapor.accounts.admin_site.LaporAdminSite"
