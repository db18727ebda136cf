"""The city team's publication settings (signed in, on the programme's own pages)."""

from django.urls import path

from icc.public.views import manage

app_name = "public_manage"
urlpatterns = [
    path("cities/<int:pk>/public/", manage.settings_view, name="settings"),
    path("cities/<int:pk>/public/save/", manage.settings_save, name="save"),
    path("cities/<int:pk>/public/publish/", manage.publish_view, name="publish"),
    path("cities/<int:pk>/public/unpublish/", manage.unpublish_view, name="unpublish"),
    path("cities/<int:pk>/public/preview/", manage.preview_city, name="preview"),
    path("cities/<int:pk>/public/preview/dashboard/", manage.preview_dashboard, name="preview_dashboard"),
]
