import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# No 0/O or 1/I/L: the code is read off a screen and typed on a phone.
CHECKIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHECKIN_WINDOW_BEFORE = timedelta(minutes=15)


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(6))


class TrainingSession(models.Model):
    """One meeting of the programme, for a cohort or open to all as a make-up session."""

    class Format(models.TextChoices):
        THEORY = "teori", _("Theory")
        PRACTICE = "praktik", _("Practice")
        NETWORK = "natverkstraff", _("Network meeting")
        FOLLOW_UP = "uppfoljning", _("Follow-up")

    class Status(models.TextChoices):
        PLANNED = "planerad", _("Planned")
        HELD = "genomford", _("Held")
        CANCELLED = "installd", _("Cancelled")

    programme = models.ForeignKey(
        "programme.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    cohort = models.ForeignKey(
        "programme.Cohort",
        verbose_name=_("training group"),
        on_delete=models.PROTECT,
        related_name="sessions",
        null=True,
        blank=True,
        help_text=_("Leave empty for an open make-up session."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), null=True, blank=True, help_text=_("For open make-up sessions.")
    )
    theme = models.ForeignKey(
        "programme.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, null=True, blank=True
    )
    focus_area = models.ForeignKey(
        "programme.FocusArea",
        verbose_name=_("focus area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place or room"), max_length=200, blank=True)
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leadership coaches"),
        related_name="coached_sessions",
    )
    key_points = models.TextField(
        _("key points"), blank=True, help_text=_("What the participants should repeat afterwards.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    series = models.ForeignKey(
        "SessionSeries", on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    # The start the series' rule gave this session: its RECURRENCE-ID in the one recurring
    # invitation the series was sent as (empty for a session sent on its own).
    recurrence_id = models.DateTimeField(null=True, blank=True, editable=False)
    # The calendar identity: the same UID for every update, a higher SEQUENCE each time.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checkin_code = models.CharField(
        _("check-in code"), max_length=8, unique=True, default=new_checkin_code, editable=False
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    # Until then the cancellation can be undone and its emails wait in the outbox; then
    # they leave.
    cancel_undo_until = models.DateTimeField(
        _("cancellation can be undone until"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("training", "session")
        verbose_name_plural = pgettext_lazy("training", "sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            ),
            models.CheckConstraint(
                name="session_open_has_capacity",
                condition=Q(cohort__isnull=False) | Q(capacity__gt=0),
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="session_time_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.cohort_id is None

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def cancel_can_be_undone(self, at=None) -> bool:
        """Cancelled, and its cancellation emails are still waiting."""
        at = at or timezone.now()
        return (
            self.is_cancelled and self.cancel_undo_until is not None and at < self.cancel_undo_until
        )

    def checkin_open(self, at=None) -> bool:
        """Self check-in works from 15 minutes before the start until the end."""
        at = at or timezone.now()
        return not self.is_cancelled and self.starts_at - CHECKIN_WINDOW_BEFORE <= at < self.ends_at


class SessionSeries(models.Model):
    """The rule a group of sessions was made from, kept so future ones can change together."""

    programme = models.ForeignKey("programme.Programme", on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(
        "programme.Cohort", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    interval_weeks = models.PositiveSmallIntegerField(_("every N weeks"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    skipped_dates = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return f"{self.programme} – {self.created_at:%Y-%m-%d}"


class Invitation(models.Model):
    """A manager invited to a session: their förhinder, and the attendance the coach marks."""

    class Attendance(models.TextChoices):
        PRESENT = "narvarande", _("Present")
        ABSENT = "franvarande", _("Absent")
        EXCUSED = "forhinder", _("Excused (förhinder)")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_invitations"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    is_makeup = models.BooleanField(_("make-up"), default=False)
    excused_at = models.DateTimeField(_("reported förhinder"), null=True, blank=True)
    excuse_comment = models.CharField(_("comment"), max_length=500, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, blank=True
    )
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["session__starts_at", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="invitation_once_per_session")
        ]
        indexes = [models.Index(fields=["user", "session"], name="invitation_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} – {self.session}"

    @property
    def has_excuse(self) -> bool:
        return self.excused_at is not None


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret calendar subscription address; a new token revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return str(self.user)
