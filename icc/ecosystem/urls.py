"""The local ecosystem: the stakeholder map and the 1:1 ecosystem interviews."""

from django.urls import path

from icc.ecosystem import views

app_name = "ecosystem"
urlpatterns = [
    path("cities/<int:pk>/ecosystem/", views.stakeholder_map, name="map"),
    path("cities/<int:pk>/ecosystem/interviews/", views.interviews, name="interviews"),
    path("cities/<int:pk>/ecosystem/interviews/plan/", views.interview_plan, name="interview_plan"),
    path("cities/<int:pk>/ecosystem/interviews.csv", views.interviews_csv, name="interviews_csv"),
    path("ecosystem/stakeholders/<int:pk>/", views.stakeholder, name="stakeholder"),
    path("ecosystem/stakeholders/<int:pk>/save/", views.stakeholder_save, name="stakeholder_save"),
    path("ecosystem/stakeholders/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("ecosystem/contacts/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
    path("ecosystem/interviews/<int:pk>/", views.interview, name="interview"),
    path("ecosystem/interviews/<int:pk>/edit/", views.interview_edit, name="interview_edit"),
    path("ecosystem/interviews/<int:pk>/note/", views.note_save, name="note_save"),
    path("ecosystem/interviews/<int:pk>/insights/", views.insight_add, name="insight_add"),
    path("ecosystem/insights/<int:pk>/remove/", views.insight_remove, name="insight_remove"),
    path("programmes/<slug:slug>/interview-guide/", views.guide, name="guide"),
]
