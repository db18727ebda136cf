from django.urls import path

from icc.tags import views

app_name = "tags"
urlpatterns = [
    path("programmes/<slug:slug>/tags/", views.tags_view, name="tags"),
    path("programmes/<slug:slug>/tags/formation/", views.formation_view, name="formation"),
    path("programmes/<slug:slug>/tags/runs/<int:pk>/", views.run_view, name="run"),
    path("cities/<int:pk>/mentor-preferences/", views.preferences_view, name="preferences"),
    path("tags/<int:pk>/", views.tag_view, name="tag"),
    path("tag-sessions/<int:pk>/", views.session_view, name="session"),
    path("programmes/<slug:slug>/labs/", views.labs_view, name="labs"),
    path("labs/<int:pk>/", views.lab_view, name="lab"),
    path("brain-dates/<int:pk>/", views.brain_date_view, name="brain_date"),
    path("programmes/<slug:slug>/awards/", views.awards_view, name="awards"),
]
