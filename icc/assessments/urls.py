from django.urls import path

from icc.assessments import views

app_name = "assessments"
urlpatterns = [
    path("cities/<int:pk>/assessments/", views.city_assessments, name="city"),
    path("cities/<int:pk>/assessments/workbook/<str:round>/", views.workbook_view, name="workbook"),
    path("cities/<int:pk>/assessments/indicators/peers/", views.peers_view, name="peers"),
    path("cities/<int:pk>/assessments/indicators/<str:round>/", views.indicators_view, name="indicators"),
    path("cities/<int:pk>/assessments/enablers/<str:round>/", views.survey_manage, name="survey_manage"),
    path("programmes/<slug:slug>/instruments/", views.instruments_view, name="instruments"),
    path("programmes/<slug:slug>/instruments/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("survey/<str:kind>/<str:token>/", views.survey_answer, name="survey"),
    path("cities/<int:pk>/assessments/<int:instrument_pk>/compare/", views.compare_view, name="compare"),
    path("cities/<int:pk>/assessments/<int:instrument_pk>/<str:round>/", views.response_view, name="response"),
    path("cities/<int:pk>/assessments/<int:instrument_pk>/<str:round>/result/", views.result_view, name="result"),
]
