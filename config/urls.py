from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("icc.core.urls")),
    path("accounts/", include("icc.accounts.urls")),
    path("programmes/", include("icc.programmes.urls")),
    path("", include("icc.cities.urls")),
    path("", include("icc.journey.urls")),
    path("", include("icc.assessments.urls")),
    path("", include("icc.roadmaps.urls")),
    path("", include("icc.tags.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
