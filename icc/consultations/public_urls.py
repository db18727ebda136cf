"""The public pages, under ``/<language>/<programme>/<city>/consultations/`` (namespace ``public``)."""

from django.urls import path

from icc.consultations.views import public

urlpatterns = [
    path("", public.consultations, name="consultations"),
    path("<int:pk>/", public.consultation, name="consultation"),
    path("<int:pk>/results/", public.consultation_results, name="consultation_results"),
    path("<int:pk>/confirm/<str:token>/", public.consultation_confirm, name="consultation_confirm"),
]
