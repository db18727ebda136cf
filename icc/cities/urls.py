from django.urls import path

from icc.cities import views

app_name = "cities"
urlpatterns = [
    path("cities/<int:pk>/", views.city_detail, name="detail"),
    path("cities/<int:pk>/edit/", views.city_edit, name="edit"),
    path("cities/<int:pk>/organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("programmes/<slug:slug>/cities/new/", views.city_create, name="create"),
    path("programmes/<slug:slug>/people/", views.people, name="people"),
    path("programmes/<slug:slug>/people/invite/", views.person_invite, name="person_invite"),
    path("programmes/<slug:slug>/people/<int:pk>/", views.person_detail, name="person"),
    path("programmes/<slug:slug>/people/<int:pk>/save/", views.person_update, name="person_update"),
    path("programmes/<slug:slug>/people/<int:pk>/roles/add/", views.role_add, name="role_add"),
    path("programmes/<slug:slug>/people/<int:pk>/invitation/", views.invitation_resend, name="invitation_resend"),
    path("programmes/<slug:slug>/roles/<int:pk>/remove/", views.role_remove, name="role_remove"),
    path("programmes/<slug:slug>/import/", views.import_csv, name="import"),
]
