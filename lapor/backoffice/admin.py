from django.contrib import admin

from lapor.agencies.admin_access import NationalAdminAccess
from lapor.backoffice.models import AnswerTemplate


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(NationalAdminAccess, admin.ModelAdmin):
    list_display = ["title", "agency", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["agency"]
