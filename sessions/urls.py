from django.urls import path

from sessions import checkin_views, feed_views, views

app_name = "training_sessions"

urlpatterns = [
    path("traffar/", views.schedule, name="schedule"),
    path("traffar/ny/", views.session_create, name="session-create"),
    path("traffar/ny-serie/", views.series_create, name="series-create"),
    path("traffar/<int:pk>/", views.session_detail, name="session-detail"),
    path("traffar/<int:pk>/andra/", views.session_update, name="session-update"),
    path("traffar/<int:pk>/stall-in/", views.session_cancel, name="session-cancel"),
    path("traffar/<int:pk>/stall-in/angra/", views.session_cancel_undo, name="session-cancel-undo"),
    path("traffar/<int:pk>/narvaro/", views.attendance_save, name="attendance-save"),
    path("traffar/<int:pk>/forhinder/", views.excuse_report, name="excuse-report"),
    path("traffar/<int:pk>/forhinder/aterta/", views.excuse_withdraw, name="excuse-withdraw"),
    path("mina-traffar/", views.my_sessions, name="my-sessions"),
    path("traffar/<int:pk>/ta-igen/", views.makeup_sign_up, name="makeup-sign-up"),
    path("incheckning/", checkin_views.checkin_by_code, name="checkin"),
    path("grupper/<int:pk>/narvaro/", views.cohort_attendance, name="cohort-attendance"),
    path("kalender/", feed_views.feed_settings, name="feed-settings"),
    path("kalender/ny-adress/", feed_views.feed_regenerate, name="feed-regenerate"),
    path("kalender/<str:token>.ics", feed_views.feed, name="feed"),
    path(
        "traffar/<int:pk>/incheckning/<str:code>/",
        checkin_views.checkin_by_link,
        name="checkin-link",
    ),
    path("traffar/<int:pk>/qr.svg", checkin_views.checkin_qr, name="checkin-qr"),
]
