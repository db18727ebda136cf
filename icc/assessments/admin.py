from django.contrib import admin

from icc.assessments.models import Indicator, Instrument, Question, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "kind", "programme"]
    list_filter = ["programme", "kind"]
    inlines = [SectionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "type", "section", "required"]
    list_filter = ["section__instrument", "type"]
    search_fields = ["text", "key"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "theme", "unit", "direction", "sdg_target", "framework_id"]
    list_filter = ["programme", "theme"]
