"""The inbox: signed in, one address per write; the unsubscribe link needs no sign-in."""

from django.urls import path

from icc.inbox import views

app_name = "inbox"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", views.open_notification, name="open"),
    path("inbox/<int:pk>/read/", views.mark_read, name="read"),
    path("inbox/read/", views.mark_all_read, name="read_all"),
    path("inbox/digest/", views.digest_frequency, name="digest"),
    path("inbox/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
