from django.contrib import admin

from icc.core.versioning import CountsSavesAdmin
from icc.procurement.models import Document, Phase, Plan


@admin.register(Plan)
class PlanAdmin(CountsSavesAdmin):
    list_display = ["title", "buyer", "route", "updated_at"]
    list_filter = ["route", "programme"]
    search_fields = ["title", "tender_title"]
    raw_id_fields = ["action", "group", "buyer", "created_by"]
    filter_horizontal = ["cities"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["plan", "kind", "starts_on", "ends_on", "budget", "status"]
    raw_id_fields = ["plan"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "phase", "added_at"]
    raw_id_fields = ["phase", "added_by"]
