"""The public side, under a language prefix (``/fr/<programme>/<city>/...``)."""

from django.urls import include, path

from icc.public.views import data, public

app_name = "public"

urlpatterns = [
    path("<slug:programme>/", public.programme_view, name="programme"),
    # Before the city pages: "data" is never a city's address (see icc.public.actions.RESERVED_SLUGS).
    path("<slug:programme>/data/", data.open_data, name="open_data"),
    path("<slug:programme>/data/figures.csv", data.open_data_csv, name="open_data_csv"),
    path("<slug:programme>/data/figures.json", data.open_data_json, name="open_data_json"),
    path("<slug:programme>/data/catalogue.jsonld", data.open_data_dcat, name="open_data_dcat"),
    path("<slug:programme>/<slug:city>/", public.city_view, name="city"),
    path("<slug:programme>/<slug:city>/dashboard/", public.city_dashboard, name="city_dashboard"),
    path("<slug:programme>/<slug:city>/figures.csv", data.city_data_csv, name="city_data_csv"),
    path("<slug:programme>/<slug:city>/figures.json", data.city_data_json, name="city_data_json"),
    path("<slug:programme>/<slug:city>/consultations/", include("icc.consultations.public_urls")),
    path("<slug:programme>/<slug:city>/ideas/", include("icc.ideas.public_urls")),
]
