from django.urls import path

from network import meeting_views, views

app_name = "network"

urlpatterns = [
    path("natverksgrupper/<int:pk>/fragor/", views.question_list, name="question-list"),
    path("natverksgrupper/<int:pk>/fragor/ny/", views.question_create, name="question-create"),
    path("natverksfragor/<int:pk>/", views.question_detail, name="question-detail"),
    path("natverksfragor/<int:pk>/andra/", views.question_edit, name="question-edit"),
    path("natverksfragor/<int:pk>/ta-bort/", views.question_delete, name="question-delete"),
    path("natverksfragor/<int:pk>/lost/", views.question_resolve, name="question-resolve"),
    path("natverksfragor/<int:pk>/svara/", views.answer_create, name="answer-create"),
    path("natverkssvar/<int:pk>/andra/", views.answer_edit, name="answer-edit"),
    path("natverkssvar/<int:pk>/ta-bort/", views.answer_delete, name="answer-delete"),
    path("natverksfragor/till-mig/", views.coach_questions, name="coach-questions"),
    path(
        "natverksgrupper/<int:pk>/delade-anteckningar/",
        views.shared_entries,
        name="shared-entries",
    ),
    path("journal/<int:pk>/dela-med-natverksgrupp/", views.entry_share, name="entry-share"),
    path(
        "delade-anteckningar/<int:pk>/ta-tillbaka/",
        views.shared_entry_withdraw,
        name="shared-entry-withdraw",
    ),
]

urlpatterns += [
    path("natverksgrupper/<int:pk>/traffar/", meeting_views.meeting_list, name="meeting-list"),
    path(
        "natverksgrupper/<int:pk>/traffar/ny/", meeting_views.meeting_create, name="meeting-create"
    ),
    path("natverkstraffar/<int:pk>/", meeting_views.meeting_detail, name="meeting-detail"),
    path("natverkstraffar/<int:pk>/andra/", meeting_views.meeting_edit, name="meeting-edit"),
    path("natverkstraffar/<int:pk>/stall-in/", meeting_views.meeting_cancel, name="meeting-cancel"),
    path("natverkstraffar/<int:pk>/svara/", meeting_views.meeting_respond, name="meeting-respond"),
    path(
        "natverkstraffar/<int:pk>/lardom/", meeting_views.meeting_takeaway, name="meeting-takeaway"
    ),
    path("natverk/<int:pk>/traffar/", meeting_views.round_meetings, name="round-meetings"),
]
