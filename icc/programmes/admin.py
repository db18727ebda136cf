from django.contrib import admin

from icc.programmes.models import Cycle, Phase, Programme, Theme, TransversalService


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class CycleInline(admin.TabularInline):
    model = Cycle
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


class ServiceInline(admin.TabularInline):
    model = TransversalService
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "starts_on", "ends_on"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhaseInline, CycleInline, ThemeInline, ServiceInline]
