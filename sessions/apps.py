from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingSessionsConfig(AppConfig):
    # `sessions` is django.contrib.sessions' label; this app is always `training_sessions`.
    name = "sessions"
    label = "training_sessions"
    verbose_name = _("Training sessions")

    def ready(self) -> None:
        # Training-group membership is the programme app's, which comes before this one; the
        # groups' kept attendance figures (who has the absence signal) are this app's.
        from programme.services import membership_hook_register
        from sessions.figures import forget

        membership_hook_register(forget)
