from django.urls import path

from icc.journey import views

app_name = "journey"
urlpatterns = [
    path("cities/<int:pk>/journey/", views.city_journey, name="city"),
    path("cities/<int:pk>/deliverables/", views.deliverables, name="deliverables"),
    path("cities/<int:pk>/deliverables/<int:milestone_pk>/", views.milestone_detail, name="milestone"),
    path(
        "cities/<int:pk>/deliverables/<int:milestone_pk>/submit/",
        views.deliverable_submit,
        name="deliverable_submit",
    ),
    path("cities/<int:pk>/achievements/", views.achievements, name="achievements"),
    path("cities/<int:pk>/achievements/<int:item_pk>/tick/", views.achievement_tick, name="achievement_tick"),
    path("cities/<int:pk>/achievements/<int:item_pk>/untick/", views.achievement_untick, name="achievement_untick"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/move/", views.event_move, name="event_move"),
    path("events/<int:pk>/record/", views.event_record, name="event_record"),
    path("events/<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("submissions/<int:pk>/download/", views.submission_download, name="download"),
    path("submissions/<int:pk>/review/", views.submission_review, name="submission_review"),
    path("programmes/<slug:slug>/events/", views.programme_events, name="programme_events"),
    path("programmes/<slug:slug>/cohort/", views.cohort, name="cohort"),
    path("programmes/<slug:slug>/schedules/", views.generate, name="generate"),
    path("programmes/<slug:slug>/event-types/", views.event_types, name="event_types"),
    path("programmes/<slug:slug>/event-types/<int:pk>/", views.event_type_edit, name="event_type_edit"),
    path("calendars/", views.calendars, name="calendars"),
    path("calendars/new/", views.calendar_new, name="calendar_new"),
    path("calendars/<int:pk>/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendars/<str:token>.ics", views.feed, name="feed"),
    path("preferences/", views.preferences, name="preferences"),
]
