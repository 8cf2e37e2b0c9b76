from django.urls import path

from programme import material_views, member_views, suggestion_views, views

app_name = "programme"

urlpatterns = [
    path("program/", views.programme_overview, name="overview"),
    path("program/nytt/", views.programme_create, name="programme-create"),
    path("program/<int:pk>/", material_views.programme_detail, name="programme-detail"),
    path("program/<int:pk>/andra/", views.programme_update, name="programme-update"),
    path("program/<int:pk>/material/ny/", material_views.module_create, name="module-create"),
    path("material/<int:pk>/andra/", material_views.module_update, name="module-update"),
    path("material/<int:pk>/lankar/", material_views.module_link_add, name="link-add"),
    path(
        "material/lankar/<int:pk>/ta-bort/",
        material_views.module_link_remove,
        name="link-remove",
    ),
    path("material/<int:pk>/filer/", material_views.module_attachment_add, name="attachment-add"),
    path(
        "material/filer/<int:pk>/",
        material_views.module_attachment_download,
        name="attachment-download",
    ),
    path(
        "material/filer/<int:pk>/ta-bort/",
        material_views.module_attachment_remove,
        name="attachment-remove",
    ),
    path(
        "program/<str:kind>/<slug:slug>/andra/",
        views.framework_item_update,
        name="framework-item-update",
    ),
    path(
        "program/<str:kind>/<slug:slug>/synpunkt/",
        suggestion_views.suggestion_create,
        name="suggestion-create",
    ),
    path("program/mina-synpunkter/", suggestion_views.suggestion_mine, name="suggestion-mine"),
    path(
        "program/synpunkter/<int:pk>/ta-tillbaka/",
        suggestion_views.suggestion_withdraw,
        name="suggestion-withdraw",
    ),
    path("program/synpunkter/", suggestion_views.suggestion_list, name="suggestion-list"),
    path(
        "program/synpunkter/<int:pk>/svara/",
        suggestion_views.suggestion_answer,
        name="suggestion-answer",
    ),
    path("grupper/", views.cohort_list, name="cohort-list"),
    path("grupper/ny/", views.cohort_create, name="cohort-create"),
    path("grupper/<int:pk>/", views.cohort_detail, name="cohort-detail"),
    path("grupper/<int:pk>/andra/", views.cohort_update, name="cohort-update"),
    path("grupper/<int:pk>/medlemmar/", views.cohort_member_add, name="member-add"),
    path(
        "grupper/<int:pk>/medlemmar/flera/",
        member_views.cohort_members_add,
        name="members-add",
    ),
    path(
        "grupper/<int:pk>/medlemmar/<int:membership_pk>/avsluta/",
        views.cohort_member_end,
        name="member-end",
    ),
    path("grupper/<int:pk>/natverk/", views.network_round_create, name="round-create"),
    path("natverk/<int:pk>/", views.network_round_detail, name="round-detail"),
    path("natverk/<int:pk>/flytta/", views.network_round_move, name="round-move"),
    path("natverk/<int:pk>/publicera/", views.network_round_publish, name="round-publish"),
    path("natverk/<int:pk>/kasta/", views.network_round_discard, name="round-discard"),
    path("min-grupp/", views.my_group, name="my-group"),
]
