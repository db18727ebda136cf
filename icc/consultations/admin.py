"""Consultations in the admin: to look them up. Answers are left out: they are read on
the results page only, counted and moderated."""

from django.contrib import admin

from icc.consultations.models import Consultation


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "city", "kind", "status", "opens_at", "closes_at", "results_published"]
    list_filter = ["kind", "status"]
    readonly_fields = ["created_at", "updated_at", "personal_data_erased_at", "results_published_at"]
