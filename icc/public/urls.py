"""The public side, under a language prefix (``/fr/<programme>/<city>/...``)."""

from django.urls import include, path

from icc.public.views import data, marketplace, public

app_name = "public"

urlpatterns = [
    path("<slug:programme>/", public.programme_view, name="programme"),
    # Before the city pages: "data" and "marketplace" are never a city's address (see icc.public.actions.RESERVED_SLUGS).
    path("<slug:programme>/data/", data.open_data, name="open_data"),
    path("<slug:programme>/data/figures.csv", data.open_data_csv, name="open_data_csv"),
    path("<slug:programme>/data/figures.json", data.open_data_json, name="open_data_json"),
    path("<slug:programme>/data/catalogue.jsonld", data.open_data_dcat, name="open_data_dcat"),
    path("<slug:programme>/marketplace/", marketplace.browse, name="market"),
    path("<slug:programme>/marketplace/solutions/<int:pk>/", marketplace.solution_view, name="market_solution"),
    path("<slug:programme>/marketplace/providers/<int:pk>/", marketplace.provider_view, name="market_provider"),
    path("<slug:programme>/marketplace/challenges/", marketplace.challenges, name="market_challenges"),
    path("<slug:programme>/marketplace/challenges/<int:pk>/", marketplace.challenge_view, name="market_challenge"),
    path("<slug:programme>/marketplace/cities/<int:pk>/", marketplace.profile_view, name="market_profile"),
    path("<slug:programme>/<slug:city>/", public.city_view, name="city"),
    path("<slug:programme>/<slug:city>/dashboard/", public.city_dashboard, name="city_dashboard"),
    path("<slug:programme>/<slug:city>/figures.csv", data.city_data_csv, name="city_data_csv"),
    path("<slug:programme>/<slug:city>/figures.json", data.city_data_json, name="city_data_json"),
    path("<slug:programme>/<slug:city>/consultations/", include("icc.consultations.public_urls")),
    path("<slug:programme>/<slug:city>/ideas/", include("icc.ideas.public_urls")),
]
