"""The city toolbox: signed in, participants and mentors only, one address per write."""

from django.urls import path

from icc.library import views

app_name = "library"
urlpatterns = [
    path("programmes/<slug:slug>/toolbox/", views.library, name="library"),
    path("programmes/<slug:slug>/toolbox/add/", views.item_add, name="add"),
    path("toolbox/<int:pk>/", views.item_view, name="item"),
    path("toolbox/<int:pk>/edit/", views.item_edit, name="edit"),
    path("toolbox/<int:pk>/remove/", views.item_remove, name="remove"),
    path("toolbox/<int:pk>/versions/", views.version_add, name="version_add"),
    path("toolbox/files/<int:pk>/", views.version_download, name="download"),
    path("submissions/<int:pk>/to-toolbox/", views.deliverable_offer, name="offer"),
]
