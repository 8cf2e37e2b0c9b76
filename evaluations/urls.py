from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("traffar/<int:pk>/utvardering/", views.evaluate, name="evaluate"),
    path("traffar/<int:pk>/utvardering/resultat/", views.results, name="results"),
    path("traffar/<int:pk>/utvardering/fraga/", views.question, name="question"),
    path("utvarderingar/", views.overview, name="overview"),
]
