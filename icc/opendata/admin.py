from django.contrib import admin

from icc.core.versioning import CountsSavesAdmin
from icc.opendata.models import Charter, Checklist, Entry, Principle


class PrincipleInline(admin.StackedInline):
    model = Principle
    extra = 0


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ["programme", "number", "published_at"]
    list_filter = ["programme"]
    raw_id_fields = ["created_by", "published_by"]
    inlines = [PrincipleInline]


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    raw_id_fields = ["principle"]


@admin.register(Checklist)
class ChecklistAdmin(CountsSavesAdmin):
    list_display = ["city", "charter", "updated_at"]
    raw_id_fields = ["city", "charter", "updated_by"]
    readonly_fields = ["updated_at"]
    inlines = [EntryInline]
