from django.contrib import admin
from django.http import HttpRequest

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

    def get_readonly_fields(self, request: HttpRequest, obj: Question | None = None) -> list[str]:
        """Once a question has answers, its type, levels and choices say what they mean: fixed."""
        fixed = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_answered():
            fixed += ["type", "levels", "choices", "section", "key"]
        return fixed


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "theme", "unit", "direction", "sdg_target", "framework_id"]
    list_filter = ["programme", "theme"]
