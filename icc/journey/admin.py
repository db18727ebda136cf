from django.contrib import admin

from icc.core.versioning import CountsSavesAdmin
from icc.journey.models import AchievementItem, DeliverableType, Event, EventType, Milestone


@admin.register(EventType)
class EventTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "format", "mode", "recurrence", "count", "every_weeks", "scheduled_by"]
    list_filter = ["programme", "format", "mode", "scheduled_by"]
    search_fields = ["name", "key"]
    filter_horizontal = ["phases"]


@admin.register(Event)
class EventAdmin(CountsSavesAdmin):
    version_field = "sequence"
    list_display = ["__str__", "city", "starts_at", "status", "edited"]
    list_filter = ["programme", "status", "event_type"]
    search_fields = ["city__name", "event_type__name"]
    raw_id_fields = ["city", "attendees"]
    date_hierarchy = "starts_at"


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(DeliverableType)
class DeliverableTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "programme"]
    list_filter = ["programme"]
    inlines = [MilestoneInline]


@admin.register(AchievementItem)
class AchievementItemAdmin(admin.ModelAdmin):
    list_display = ["text", "phase"]
    list_filter = ["phase__programme", "phase"]
