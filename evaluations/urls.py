from django.urls import path

from evaluations import survey_views, views

app_name = "evaluations"

urlpatterns = [
    path("traffar/<int:pk>/utvardering/", views.evaluate, name="evaluate"),
    path("traffar/<int:pk>/utvardering/resultat/", views.results, name="results"),
    path("traffar/<int:pk>/utvardering/fraga/", views.question, name="question"),
    path("utvarderingar/", views.overview, name="overview"),
    path("utvarderingar/temafragor/", survey_views.theme_questions, name="theme-questions"),
    path("enkater/", survey_views.survey_list, name="survey-list"),
    path("enkater/ny/", survey_views.survey_create, name="survey-create"),
    path("enkater/<int:pk>/", survey_views.survey_detail, name="survey-detail"),
    path("enkater/<int:pk>/andra/", survey_views.survey_edit, name="survey-edit"),
    path("enkater/<int:pk>/stang/", survey_views.survey_close, name="survey-close"),
    path("enkater/<int:pk>/svara/", survey_views.survey_answer, name="survey-answer"),
]
