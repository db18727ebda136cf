"""The public side, under a language prefix (``/fr/<programme>/<city>/...``)."""

from django.urls import include, path

app_name = "public"

urlpatterns = [
    path("<slug:programme>/<slug:city>/consultations/", include("icc.consultations.public_urls")),
    path("<slug:programme>/<slug:city>/ideas/", include("icc.ideas.public_urls")),
]
