"""The city team's pages: signed in, in the platform's language."""

from django.urls import path

from icc.consultations.views import team

app_name = "consultations"

CONSULTATION = "consultations/<int:pk>/"
QUESTION = "consultation-questions/<int:pk>/"
ANSWER = "consultation-answers/<int:pk>/"

urlpatterns = [
    path("cities/<int:pk>/consultations/", team.city_consultations, name="city"),
    path("cities/<int:pk>/consultations/new/", team.consultation_create, name="create"),
    path(CONSULTATION, team.manage, name="manage"),
    path(CONSULTATION + "settings/", team.settings_save, name="settings"),
    path(CONSULTATION + "questions/new/", team.question_add, name="question_add"),
    path(CONSULTATION + "open/", team.consultation_open, name="open"),
    path(CONSULTATION + "close/", team.consultation_close, name="close"),
    path(CONSULTATION + "closing/", team.closing_move, name="closing"),
    path(CONSULTATION + "remove/", team.consultation_remove, name="remove"),
    path(CONSULTATION + "results/", team.team_results, name="results"),
    path(CONSULTATION + "results/publish/", team.results_publish, name="results_publish"),
    path(CONSULTATION + "results/unpublish/", team.results_unpublish, name="results_unpublish"),
    path(QUESTION, team.question_edit, name="question"),
    path(QUESTION + "move/", team.question_move, name="question_move"),
    path(QUESTION + "remove/", team.question_remove, name="question_remove"),
    path(ANSWER + "show/", team.answer_show, name="answer_show"),
    path(ANSWER + "hide/", team.answer_hide, name="answer_hide"),
]
