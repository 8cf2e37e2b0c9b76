from django.urls import path

from reports import import_views, views

app_name = "reports"

urlpatterns = [
    path("rapporter/", views.dashboard, name="dashboard"),
    path("rapporter/export/<slug:table>.<str:fmt>", views.export, name="export"),
]

urlpatterns += [
    path("rapporter/sjukfranvaro/", import_views.sick_leave_upload, name="sick-leave-import"),
    path(
        "rapporter/sjukfranvaro/<int:pk>/",
        import_views.sick_leave_preview,
        name="sick-leave-preview",
    ),
    path(
        "rapporter/sjukfranvaro/<int:pk>/bekrafta/",
        import_views.sick_leave_confirm,
        name="sick-leave-confirm",
    ),
]
