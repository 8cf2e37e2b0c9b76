"""The network group's questions and answers ("ta hjälp av varandra"): seen by the group's
current members and the asker only, and by the group's coaches when the asker includes them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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
