"""The marketplace, for the people taking part: one address per page and per write."""

from django.urls import path

from icc.marketplace import views
from icc.marketplace.views import challenges, governance, portability, procurement, profiles, providers

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
    path("marketplace/cities/<int:pk>/export.jsonld", portability.city_export, name="city_export"),
    path("marketplace/cities/<int:pk>/import/", portability.city_import, name="city_import"),
    path("marketplace/providers/<int:pk>/export.jsonld", portability.provider_export, name="provider_export"),
    path("marketplace/providers/<int:pk>/import/", portability.provider_import, name="provider_import"),
    # Governance: editors, duplicates merged.
    path("programmes/<slug:slug>/marketplace/editors/", governance.editors, name="editors"),
    path("programmes/<slug:slug>/marketplace/editors/appoint/", governance.editor_appoint, name="editor_appoint"),
    path("marketplace/editors/<int:pk>/remove/", governance.editor_remove, name="editor_remove"),
    path("marketplace/solutions/<int:pk>/merge/", governance.merge, name="merge"),
    # A challenge as a joint-procurement group or a market consultation.
    path("marketplace/challenges/<int:pk>/group/", procurement.group_form, name="group_form"),
    path("marketplace/challenges/<int:pk>/group/join/", procurement.group_join, name="group_join"),
    path("marketplace/challenges/<int:pk>/group/leave/", procurement.group_leave, name="group_leave"),
    path("marketplace/challenges/<int:pk>/consultation/", procurement.consultation_open, name="consultation_open"),
    path(
        "marketplace/challenges/<int:pk>/consultation/close/",
        procurement.consultation_close,
        name="consultation_close",
    ),
    path(
        "marketplace/challenges/<int:pk>/consultation/respond/",
        procurement.consultation_respond,
        name="consultation_respond",
    ),
    # A completed roadmap action recorded as a deployment.
    path("marketplace/actions/<int:pk>/deployment/", procurement.action_deployment, name="action_deployment"),
    # A provider's record, logo, people and own solutions; screenshots.
    path("marketplace/providers/<int:pk>/edit/", providers.provider_edit, name="provider_edit"),
    path("marketplace/providers/<int:pk>/logo/", providers.logo_view, name="logo"),
    path("marketplace/providers/<int:pk>/logo/upload/", providers.logo_upload, name="logo_upload"),
    path("marketplace/providers/<int:pk>/logo/remove/", providers.logo_remove, name="logo_remove"),
    path("marketplace/providers/<int:pk>/people/", providers.provider_people, name="provider_people"),
    path("marketplace/providers/<int:pk>/people/invite/", providers.provider_invite, name="provider_invite"),
    path(
        "marketplace/provider-people/<int:pk>/remove/", providers.provider_person_remove, name="provider_person_remove"
    ),
    path("marketplace/invitation/<str:token>/", providers.provider_invitation, name="provider_invitation"),
    path(
        "marketplace/providers/<int:pk>/solutions/add/", providers.provider_solution_add, name="provider_solution_add"
    ),
    path(
        "marketplace/solutions/<int:pk>/provider-edit/", providers.provider_solution_edit, name="provider_solution_edit"
    ),
    path(
        "marketplace/solutions/<int:pk>/provider-submit/",
        providers.provider_solution_submit,
        name="provider_solution_submit",
    ),
    path("marketplace/solutions/<int:pk>/screenshots/", providers.screenshots, name="screenshots"),
    path("marketplace/screenshots/<int:pk>/", providers.screenshot_view, name="screenshot"),
    path("marketplace/screenshots/<int:pk>/remove/", providers.screenshot_remove, name="screenshot_remove"),
]
