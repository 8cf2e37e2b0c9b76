from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingSessionsConfig(AppConfig):
    # `sessions` is django.contrib.sessions' label; this app is always `training_sessions`.
    name = "sessions"
    label = "training_sessions"
    verbose_name = _("Training sessions")
