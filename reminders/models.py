from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Reminder(models.Model):
    """One planned nudge to one person: written by the planner, sent (merged per day) once.

    `key` is unique per recipient, kind, object and step, so planning twice, or on two
    machines at once, adds nothing.
    """

    class Kind(models.TextChoices):
        SESSION = "traff", pgettext_lazy("training", "Session tomorrow")
        REPETITION = "repetition", _("Repetition step")
        REPROMPT = "ny_paminnelse", _("Repetition step, reminded again")
        COMMITMENT = "atagande", _("Commitment follow-up")
        NUDGE = "skrivpuff", _("Writing nudge")
        NETWORK = "natverk", _("New in the network group")
        SURVEY = "enkat", _("Benefit survey")

    class Status(models.TextChoices):
        PLANNED = "planerad", _("Planned")
        SENT = "skickad", _("Sent")
        SKIPPED = "hoppades_over", _("Not sent")

    class Response(models.TextChoices):
        REPEATED = "repeterat", _("Marked as repeated")
        REFLECTION = "reflektion", _("Wrote a reflection")

    key = models.CharField(max_length=120, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        verbose_name=pgettext_lazy("training", "session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    commitment = models.ForeignKey(
        "reflections.Commitment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    survey = models.ForeignKey(
        "evaluations.Survey",
        verbose_name=_("benefit survey"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    offset_days = models.PositiveSmallIntegerField(_("days after the session"), null=True)
    # The day it belongs on without pauses; `due_at` is when it goes out, pauses counted.
    base_on = models.DateField(_("planned for"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    skip_reason = models.CharField(_("why not sent"), max_length=40, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message = models.ForeignKey(
        "notifications.OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
    )
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    response = models.CharField(_("response"), max_length=12, choices=Response.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(
                fields=["due_at"], name="reminder_planned_due_idx", condition=Q(status="planerad")
            ),
            models.Index(fields=["user", "status", "due_at"], name="reminder_user_idx"),
            models.Index(fields=["session", "kind", "step"], name="reminder_session_idx"),
        ]

    def __str__(self) -> str:
        return self.key
