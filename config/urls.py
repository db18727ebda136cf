from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

# The public side comes first: its addresses start with a language (/fr/...), which no
# other address does, and citizens' answers are the busiest requests the platform takes.
urlpatterns: list[URLPattern | URLResolver] = i18n_patterns(
    path("", include("icc.public.urls")), prefix_default_language=True
)
urlpatterns += [
    path("", include("icc.core.urls")),
    path("accounts/", include("icc.accounts.urls")),
    path("programmes/", include("icc.programmes.urls")),
    path("", include("icc.cities.urls")),
    path("", include("icc.journey.urls")),
    path("", include("icc.assessments.urls")),
    path("", include("icc.roadmaps.urls")),
    path("", include("icc.tags.urls")),
    path("", include("icc.consultations.urls")),
    path("", include("icc.ideas.urls")),
    path("", include("icc.library.urls")),
    path("", include("icc.search.urls")),
    path("", include("icc.channels.urls")),
    path("", include("icc.inbox.urls")),
    path("", include("icc.marketplace.urls")),
    path("", include("icc.ecosystem.urls")),
    path("", include("icc.finance.urls")),
    path("", include("icc.procurement.urls")),
    path("", include("icc.opendata.urls")),
    path("", include("icc.reports.urls")),
    path("", include("icc.dashboard.urls")),
    path("", include("icc.privacy.urls")),
    path("", include("icc.public.manage_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("icc.api.urls")),
    path("", include("icc.api.account_urls")),
]
