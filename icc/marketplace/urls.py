"""The marketplace, for the people taking part: one address per page and per write."""

from django.urls import path

from icc.marketplace import views
from icc.marketplace.views import challenges, profiles

app_name = "marketplace"
urlpatterns = [
    path("programmes/<slug:slug>/marketplace/", views.browse, name="browse"),
    path("programmes/<slug:slug>/marketplace/solutions/add/", views.solution_add, name="solution_add"),
    path("programmes/<slug:slug>/marketplace/providers/add/", views.provider_add, name="provider_add"),
    path("programmes/<slug:slug>/marketplace/challenges/", challenges.challenge_list, name="challenges"),
    path("programmes/<slug:slug>/marketplace/challenges/add/", challenges.challenge_add, name="challenge_add"),
    path("programmes/<slug:slug>/marketplace/review/", challenges.review_queue, name="review"),
    path("marketplace/solutions/<int:pk>/", views.solution_view, name="solution"),
    path("marketplace/solutions/<int:pk>/edit/", views.solution_edit, name="solution_edit"),
    path("marketplace/solutions/<int:pk>/submit/", views.solution_submit, name="solution_submit"),
    path("marketplace/solutions/<int:pk>/decide/", views.solution_decide, name="solution_decide"),
    path("marketplace/solutions/<int:pk>/deployments/", views.deployment_add, name="deployment_add"),
    path("marketplace/solutions/<int:pk>/report/", views.solution_report, name="solution_report"),
    path("marketplace/deployments/<int:pk>/confirm/", views.deployment_confirm, name="deployment_confirm"),
    path("marketplace/providers/<int:pk>/", views.provider_view, name="provider"),
    path("marketplace/challenges/<int:pk>/", challenges.challenge_view, name="challenge"),
    path("marketplace/challenges/<int:pk>/share/", challenges.challenge_share, name="challenge_share"),
    path("marketplace/challenges/<int:pk>/submit/", challenges.challenge_submit, name="challenge_submit"),
    path("marketplace/cities/<int:pk>/", profiles.profile_view, name="profile"),
    path("marketplace/cities/<int:pk>/edit/", profiles.profile_edit, name="profile_edit"),
    path("marketplace/cities/<int:pk>/submit/", profiles.profile_submit, name="profile_submit"),
    path("marketplace/cities/<int:pk>/decide/", profiles.profile_decide, name="profile_decide"),
    path("marketplace/challenges/<int:pk>/decide/", challenges.challenge_decide, name="challenge_decide"),
]
