from django.contrib import admin

from icc.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_repr", "source"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "source"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
