from django.urls import path

from icc.programmes import views

app_name = "programmes"
urlpatterns = [
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/calendar/", views.calendar_setup, name="calendar_setup"),
]
