from django.urls import path

from icc.journey import views

app_name = "journey"
urlpatterns = [
    path("cities/<int:pk>/journey/", views.city_journey, name="city"),
    path("cities/<int:pk>/deliverables/", views.deliverables, name="deliverables"),
    path("cities/<int:pk>/deliverables/<int:milestone_pk>/", views.milestone_detail, name="milestone"),
    path("cities/<int:pk>/achievements/", views.achievements, name="achievements"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("submissions/<int:pk>/download/", views.submission_download, name="download"),
    path("programmes/<slug:slug>/events/", views.programme_events, name="programme_events"),
    path("programmes/<slug:slug>/cohort/", views.cohort, name="cohort"),
    path("programmes/<slug:slug>/schedules/", views.generate, name="generate"),
    path("programmes/<slug:slug>/event-types/", views.event_types, name="event_types"),
    path("programmes/<slug:slug>/event-types/<int:pk>/", views.event_type_edit, name="event_type_edit"),
    path("calendars/", views.calendars, name="calendars"),
    path("calendars/<str:token>.ics", views.feed, name="feed"),
    path("preferences/", views.preferences, name="preferences"),
]
