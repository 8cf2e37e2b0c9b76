from django.urls import path

from reports import coverage_views, effekt_views, import_views, survey_exports, views

app_name = "reports"

urlpatterns = [
    path("rapporter/", views.dashboard, name="dashboard"),
    path("rapporter/export/<slug:table>.<str:fmt>", views.export, name="export"),
    path("rapporter/forvaltning/<int:pk>/", views.forvaltning_units, name="forvaltning"),
    path("rapporter/traningsgrupper/", views.cohorts, name="cohorts"),
]

urlpatterns += [
    path("rapporter/sjukfranvaro/", import_views.sick_leave_upload, name="sick-leave-import"),
    path(
        "rapporter/sjukfranvaro/mall.<str:fmt>",
        import_views.sick_leave_template,
        name="sick-leave-template",
    ),
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

urlpatterns += [
    path("rapporter/tackning/", coverage_views.coverage_list, name="coverage"),
    path(
        "rapporter/tackning/export.<str:fmt>",
        coverage_views.coverage_export,
        name="coverage-export",
    ),
]

urlpatterns += [
    path("rapporter/effekt/", effekt_views.effekt_view, name="effekt"),
    path("rapporter/effekt/export.<str:fmt>", effekt_views.effekt_export, name="effekt-export"),
]

urlpatterns += [
    path(
        "enkater/<int:pk>/resultat.<str:fmt>",
        survey_exports.survey_export,
        name="survey-export",
    ),
]
