from django.contrib import admin

from icc.accounts.models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "is_active", "is_staff", "date_joined"]
    search_fields = ["full_name", "email"]
    exclude = ["password"]
    readonly_fields = ["last_login", "date_joined", "invited_at"]
