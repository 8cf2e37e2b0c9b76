from django.urls import path

from reflections import views

app_name = "reflections"

urlpatterns = [
    path("journal/", views.journal_list, name="journal"),
    path("journal/ny/", views.entry_create, name="entry-create"),
    path("journal/ny/autospara/", views.entry_autosave, name="entry-autosave-new"),
    path("journal/papperskorg/", views.trash, name="trash"),
    path("journal/delat/", views.shared_list, name="shared-list"),
    path("journal/ledord/", views.ratings, name="ratings"),
    path("journal/fragor/", views.prompts, name="prompts"),
    path("journal/export/", views.export, name="export"),
    path("journal/export.json", views.export, {"fmt": "json"}, name="export-json"),
    path("journal/infor-traff/<int:session_pk>/", views.digest, name="digest"),
    path("journal/repetera/<int:session_pk>/", views.repeat, name="repeat"),
    path("journal/atagande/", views.commitment_list, name="commitments"),
    path(
        "journal/atagande/<int:pk>/uppfoljning/",
        views.commitment_follow_up,
        name="commitment-follow-up",
    ),
    path("journal/<int:pk>/aterkoppling/", views.feedback_give, name="feedback-give"),
    path("journal/<int:pk>/", views.entry_edit, name="entry-edit"),
    path("journal/<int:pk>/las/", views.entry_read, name="entry-read"),
    path("journal/<int:pk>/autospara/", views.entry_autosave, name="entry-autosave"),
    path("journal/<int:pk>/dela/", views.entry_share, name="entry-share"),
    path("journal/<int:pk>/sluta-dela/", views.entry_unshare, name="entry-unshare"),
    path("journal/<int:pk>/ta-bort/", views.entry_trash, name="entry-trash"),
    path("journal/<int:pk>/aterstall/", views.entry_restore, name="entry-restore"),
]
