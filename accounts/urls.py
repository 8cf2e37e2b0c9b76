from django.urls import path

from accounts import import_views, mfa_views, sso, views

app_name = "accounts"

urlpatterns = [
    path("personal/import/", import_views.staff_import_upload, name="staff-import"),
    path(
        "personal/import/mall.<str:fmt>",
        import_views.staff_import_template,
        name="staff-import-template",
    ),
    path(
        "personal/import/<int:pk>/",
        import_views.staff_import_preview,
        name="staff-import-preview",
    ),
    path(
        "personal/import/<int:pk>/bekrafta/",
        import_views.staff_import_confirm,
        name="staff-import-confirm",
    ),
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("sso/", sso.start, name="sso-start"),
    path("sso/klar/", sso.callback, name="sso-callback"),
    path("tvastegs/", mfa_views.verify, name="mfa-verify"),
    path("tvastegs/aktivera/", mfa_views.setup, name="mfa-setup"),
    path("tvastegs/koder/", mfa_views.recovery_codes, name="mfa-recovery-codes"),
    path("tvastegs/nya-koder/", mfa_views.new_recovery_codes, name="mfa-new-recovery-codes"),
    path("tvastegs/oversikt/", mfa_views.overview, name="mfa-overview"),
    path("logga-ut/", views.LogoutView.as_view(), name="logout"),
    path("losenord/", views.PasswordChangeView.as_view(), name="password-change"),
    path("losenord/klart/", views.PasswordChangeDoneView.as_view(), name="password-change-done"),
    path("aterstall/", views.PasswordResetView.as_view(), name="password-reset"),
    path("aterstall/skickat/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "aterstall/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "aterstall/klart/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
