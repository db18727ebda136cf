from django.urls import path

from icc.tags import views

app_name = "tags"
urlpatterns = [
    # Formation
    path("programmes/<slug:slug>/tags/", views.tags_view, name="tags"),
    path("programmes/<slug:slug>/tags/formation/", views.formation_view, name="formation"),
    path("programmes/<slug:slug>/tags/formation/rules/", views.rule_add, name="rule_add"),
    path("programmes/<slug:slug>/tags/formation/rules/<int:pk>/remove/", views.rule_remove, name="rule_remove"),
    path("programmes/<slug:slug>/tags/formation/capacities/", views.capacities_save, name="capacities_save"),
    path("programmes/<slug:slug>/tags/runs/", views.run_start, name="run_start"),
    path("programmes/<slug:slug>/tags/runs/<int:pk>/", views.run_view, name="run"),
    path("programmes/<slug:slug>/tags/runs/<int:pk>/adopt/", views.run_adopt, name="run_adopt"),
    path("cities/<int:pk>/mentor-preferences/", views.preferences_view, name="preferences"),
    path("cities/<int:pk>/mentor-preferences/save/", views.preferences_save, name="preferences_save"),
    # TAG life
    path("tags/<int:pk>/", views.tag_view, name="tag"),
    path("tags/<int:pk>/topics/", views.topic_propose, name="topic_propose"),
    path("tags/<int:pk>/topics/<int:topic_pk>/vote/", views.topic_vote, name="topic_vote"),
    path("tags/<int:pk>/topics/choose/", views.topic_choose, name="topic_choose"),
    path("tags/<int:pk>/second-mentor/", views.second_mentor_ask, name="second_mentor_ask"),
    path(
        "tags/<int:pk>/second-mentor/<int:request_pk>/accept/",
        views.second_mentor_accept,
        name="second_mentor_accept",
    ),
    path(
        "tags/<int:pk>/second-mentor/<int:request_pk>/decline/",
        views.second_mentor_decline,
        name="second_mentor_decline",
    ),
    path("tag-sessions/<int:pk>/", views.session_view, name="session"),
    path("tag-sessions/<int:pk>/prepare/", views.session_prepare, name="session_prepare"),
    path("tag-sessions/<int:pk>/commitments/", views.commitment_add, name="commitment_add"),
    path(
        "tag-sessions/<int:pk>/commitments/<int:commitment_pk>/follow-up/",
        views.commitment_follow_up,
        name="commitment_follow_up",
    ),
    # Labs and brain dates
    path("programmes/<slug:slug>/labs/", views.labs_view, name="labs"),
    path("programmes/<slug:slug>/labs/new/", views.lab_add, name="lab_add"),
    path("labs/<int:pk>/", views.lab_view, name="lab"),
    path("labs/<int:pk>/brain-dates/", views.brain_dates_form, name="brain_dates_form"),
    path("labs/<int:pk>/projects/", views.project_add, name="project_add"),
    path("labs/<int:pk>/use-cases/", views.use_case_add, name="use_case_add"),
    path("labs/<int:pk>/picks/", views.picks_save, name="picks_save"),
    path("brain-dates/<int:pk>/", views.brain_date_view, name="brain_date"),
    path("brain-dates/<int:pk>/takeaways/", views.takeaways_save, name="takeaways_save"),
    # Awards
    path("programmes/<slug:slug>/awards/", views.awards_view, name="awards"),
    path("programmes/<slug:slug>/awards/nominations/", views.nomination_add, name="nomination_add"),
    path("programmes/<slug:slug>/awards/nominations/<int:pk>/vote/", views.nomination_vote, name="nomination_vote"),
    path("programmes/<slug:slug>/awards/<slug:award>/reveal/", views.award_reveal, name="award_reveal"),
]
