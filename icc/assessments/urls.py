from django.urls import path

from icc.assessments import views

app_name = "assessments"

CITY = "cities/<int:pk>/assessments/"
RESPONSE = CITY + "<int:instrument_pk>/<str:round>/"
SURVEY = CITY + "enablers/<str:round>/"
INDICATORS = CITY + "indicators/<str:round>/"
WORKBOOK = CITY + "workbook/<str:round>/"

urlpatterns = [
    path(CITY, views.city_assessments, name="city"),
    path(WORKBOOK, views.workbook_view, name="workbook"),
    path(WORKBOOK + "upload/", views.workbook_upload, name="workbook_upload"),
    path(WORKBOOK + "confirm/", views.workbook_confirm, name="workbook_confirm"),
    path(CITY + "indicators/peers/", views.peers_view, name="peers"),
    path(CITY + "indicators/peers/population/", views.peer_population, name="peer_population"),
    path(INDICATORS, views.indicators_view, name="indicators"),
    path(INDICATORS + "save/", views.indicators_save, name="indicators_save"),
    path(INDICATORS + "reopen/", views.indicators_reopen, name="indicators_reopen"),
    path(SURVEY, views.survey_manage, name="survey_manage"),
    path(SURVEY + "open/", views.survey_open, name="survey_open"),
    path(SURVEY + "close/", views.survey_close, name="survey_close"),
    path(SURVEY + "invite/", views.survey_invite, name="survey_invite"),
    path(SURVEY + "share/", views.survey_share, name="survey_share"),
    path("programmes/<slug:slug>/instruments/", views.instruments_view, name="instruments"),
    path("programmes/<slug:slug>/instruments/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("survey/<str:kind>/<str:token>/", views.survey_answer, name="survey"),
    path(CITY + "<int:instrument_pk>/compare/", views.compare_view, name="compare"),
    path(RESPONSE, views.response_view, name="response"),
    path(RESPONSE + "save/", views.response_save, name="response_save"),
    path(RESPONSE + "reopen/", views.response_reopen, name="response_reopen"),
    path(RESPONSE + "result/", views.result_view, name="result"),
]
