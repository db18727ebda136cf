from django.urls import path

from icc.programmes import views

app_name = "programmes"
urlpatterns = [
    path("<slug:slug>/", views.overview, name="overview"),
]
