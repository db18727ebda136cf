from django.contrib import admin

from icc.cities.models import City, Network, Organisation, Role
from icc.core.versioning import CountsSavesAdmin


@admin.register(City)
class CityAdmin(CountsSavesAdmin):
    list_display = ["name", "country", "type", "former_dcc", "track", "current_phase", "programme"]
    list_filter = ["programme", "type", "former_dcc", "track"]
    search_fields = ["name"]
    filter_horizontal = ["networks", "secondary_themes"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "website"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(CountsSavesAdmin):
    list_display = ["name", "sector", "city"]
    list_filter = ["sector"]
    search_fields = ["name", "city__name"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "city", "theme", "service", "programme"]
    list_filter = ["programme", "kind"]
    search_fields = ["person__full_name", "person__email", "city__name"]
    raw_id_fields = ["person", "city", "organisation"]
