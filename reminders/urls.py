from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("paminnelser/", views.reminder_settings, name="settings"),
    path("paminnelser/paus/", views.pause_add, name="pause-add"),
    path("paminnelser/paus/<int:pk>/avsluta/", views.pause_end, name="pause-end"),
    path("paminnelser/sla-pa/", views.resubscribe, name="resubscribe"),
    path("traffar/<int:session_pk>/repetition/", views.session_steps, name="session-steps"),
]
