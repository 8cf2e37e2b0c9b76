"""The network group's questions and answers ("ta hjälp av varandra"): seen by the group's
current members and the asker only, and by the group's coaches when the asker includes them.
Its meetings, and the journal entries members share with it."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.text import render_formatted

TITLE_MAX = 200
BODY_MAX = 5000


class Question(models.Model):
    """A question or a challenge put to a network group. Deleting it clears its text and its
    answers at once; the empty row stays so that an answer on its way gets a clear message."""

    group = models.ForeignKey(
        "programme.NetworkGroup",
        verbose_name=_("network group"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    # Null once the author is erased: the post stays for the group, without a name.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_questions",
    )
    title = models.CharField(_("question"), max_length=TITLE_MAX)
    body = models.TextField(_("more about it"), max_length=BODY_MAX, blank=True)
    includes_coach = models.BooleanField(_("the coach may read and answer"), default=False)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    # The newest post in the thread (the question or an answer): lists are sorted by it.
    last_activity_at = models.DateTimeField(_("latest activity"), default=timezone.now)

    class Meta:
        verbose_name = _("network question")
        verbose_name_plural = _("network questions")
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(
                fields=["group", "-last_activity_at"],
                name="network_question_group_idx",
                condition=Q(deleted_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def body_html(self) -> str:
        return render_formatted(self.body)


class Answer(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_answers",
    )
    body = models.TextField(_("answer"), max_length=BODY_MAX)
    created_at = models.DateTimeField(_("answered"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("network answer")
        verbose_name_plural = _("network answers")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def body_html(self) -> str:
        return render_formatted(self.body)


class QuestionRead(models.Model):
    """When a person last opened a thread: what is newer is marked as new for them."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="reads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="network_reads",
    )
    read_at = models.DateTimeField(_("read"), default=timezone.now)

    class Meta:
        verbose_name = _("read marker")
        verbose_name_plural = _("read markers")
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="network_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} – {self.question_id}"


MEETING_NOTE_MAX = 1000
MEETING_PLACE_MAX = 200
MEETING_LINK_MAX = 500


class Meeting(models.Model):
    """A meeting a member proposes for their network group: the members get a calendar
    invitation (REQUEST; an update with a higher SEQUENCE; CANCEL) and answer yes or no."""

    group = models.ForeignKey(
        "programme.NetworkGroup",
        verbose_name=_("network group"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    # Null once the proposer is erased: the meeting stays for the group, without a name.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_meetings_proposed",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=MEETING_PLACE_MAX, blank=True)
    link = models.URLField(_("meeting link"), max_length=MEETING_LINK_MAX, blank=True)
    note = models.TextField(_("what we will talk about"), max_length=MEETING_NOTE_MAX, blank=True)
    # The calendar identity: the same UID for every update, a higher SEQUENCE each time.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="network_meeting_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            ),
            models.CheckConstraint(
                name="network_meeting_has_place_or_link", condition=~Q(place="", link="")
            ),
        ]
        indexes = [models.Index(fields=["group", "starts_at"], name="network_meeting_group_idx")]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_over(self, at=None) -> bool:
        return self.ends_at <= (at or timezone.now())


class MeetingInvitation(models.Model):
    """A member invited to a network meeting, and their answer (shown to the group)."""

    class Response(models.TextChoices):
        WAITING = "", _("Not answered")
        YES = "ja", _("Coming")
        NO = "nej", _("Not coming")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("network meeting"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="network_meeting_invitations",
    )
    response = models.CharField(
        _("answer"), max_length=3, choices=Response.choices, blank=True, default=""
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)

    class Meta:
        verbose_name = _("network meeting invitation")
        verbose_name_plural = _("network meeting invitations")
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="network_meeting_invited_once")
        ]
        indexes = [models.Index(fields=["user", "meeting"], name="network_meeting_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} – {self.meeting_id}"


class MeetingTakeaway(models.Model):
    """A member's journal entry about a network meeting: the entry is theirs and private, as
    every entry; this row only ties it to the meeting."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("network meeting"),
        on_delete=models.CASCADE,
        related_name="takeaways",
    )
    entry = models.OneToOneField(
        "reflections.Entry",
        verbose_name=_("journal entry"),
        on_delete=models.CASCADE,
        related_name="network_meeting_link",
    )

    class Meta:
        verbose_name = _("network meeting takeaway")
        verbose_name_plural = _("network meeting takeaways")

    def __str__(self) -> str:
        return f"{self.meeting_id} – {self.entry_id}"


SHARED_BODY_MAX = 20000


class SharedEntry(models.Model):
    """A copy of one journal entry, shared by its author with their network group at one
    moment: later edits of the entry do not change it (sharing again replaces it). Seen by the
    group's current members; taking it back deletes it for everyone."""

    group = models.ForeignKey(
        "programme.NetworkGroup",
        verbose_name=_("network group"),
        on_delete=models.CASCADE,
        related_name="shared_entries",
    )
    # Null once the author is erased: the copy stays for the group, without a name (as the
    # group's questions).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_shared_entries",
    )
    # The journal entry it was copied from: deleting the entry for good takes the copy back
    # too. Erasure first detaches it (the copy stays without a name).
    entry = models.ForeignKey(
        "reflections.Entry",
        verbose_name=_("journal entry"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_copies",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"), max_length=SHARED_BODY_MAX, blank=True)
    written_on = models.DateField(_("date"))
    shared_at = models.DateTimeField(_("shared"), default=timezone.now)

    class Meta:
        verbose_name = _("journal entry shared with a network group")
        verbose_name_plural = _("journal entries shared with network groups")
        ordering = ["-shared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "entry"],
                name="network_entry_shared_once",
                condition=Q(entry__isnull=False),
            )
        ]

    def __str__(self) -> str:
        # Never the text.
        return f"#{self.pk}"

    @property
    def body_html(self) -> str:
        return render_formatted(self.body)

    @property
    def display_title(self) -> str:
        return self.title or self.written_on.isoformat()
