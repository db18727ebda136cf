"""Open data: the shared open data charter's principles as a checklist per city, with evidence."""

from django.urls import path

from icc.opendata import views

app_name = "opendata"
urlpatterns = [
    path("programmes/<slug:slug>/open-data/", views.charter, name="charter"),
    path("programmes/<slug:slug>/open-data/draft/", views.draft_start, name="draft_start"),
    path("programmes/<slug:slug>/open-data/draft/vision/", views.draft_edit, name="draft_edit"),
    path("programmes/<slug:slug>/open-data/draft/principles/new/", views.principle_new, name="principle_new"),
    path("programmes/<slug:slug>/open-data/draft/publish/", views.publish, name="publish"),
    path("open-data/principles/<int:pk>/", views.principle_edit, name="principle_edit"),
    path("open-data/principles/<int:pk>/remove/", views.principle_remove, name="principle_remove"),
    path("cities/<int:pk>/open-data/", views.checklist, name="checklist"),
    path("cities/<int:pk>/open-data/edit/", views.checklist_edit, name="checklist_edit"),
]
