from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from health.views import healthz
from portal import views
from portal.start import admin as start_admin
from portal.start import coach as start_coach
from portal.start import coach_progress
from portal.start import hr as start_hr
from portal.start import manager as start_manager

urlpatterns = [
    path("", views.home, name="home"),
    path("start/chef/", start_manager.start_manager, name="start-manager"),
    path("start/ledartranare/", start_coach.start_coach, name="start-coach"),
    path("grupper/<int:pk>/framsteg/", coach_progress.cohort_progress, name="cohort-progress"),
    path("start/hr/", start_hr.start_hr, name="start-hr"),
    path("start/admin/", start_admin.start_admin, name="start-admin"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
    path("konto/", include("accounts.urls")),
    path("", include("programme.urls")),
    path("", include("sessions.urls")),
    path("", include("reflections.urls")),
    path("", include("evaluations.urls")),
    path("", include("network.urls")),
    path("", include("reminders.urls")),
    path("", include("notifications.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    # Choosing the language must work on the sign-in page too.
    path("sprak/", login_not_required(set_language), name="set-language"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

if settings.BENCH_FLOOR:
    urlpatterns.append(path("_bench/golv/<int:size>/", views.bench_floor, name="bench-floor"))

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"
