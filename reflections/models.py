from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programme.text import render_formatted


class EntryManager(models.Manager):
    """Entries without their search vector: only the database reads it (search)."""

    def get_queryset(self):
        return super().get_queryset().defer("search_vector")


class Entry(models.Model):
    """A journal entry: the author's own, private unless they share it with their coaches."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="journal_entries",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(
        _("text"), blank=True, help_text=_("Formatted text: **bold**, *italics*, lists and links.")
    )
    written_on = models.DateField(_("date"), default=timezone.localdate)
    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        verbose_name=pgettext_lazy("training", "session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journal_entries",
    )
    theme = models.ForeignKey(
        "programme.Theme", verbose_name=_("theme"), on_delete=models.SET_NULL, null=True, blank=True
    )
    focus_area = models.ForeignKey(
        "programme.FocusArea",
        verbose_name=_("focus area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    keywords = models.ManyToManyField("programme.Keyword", verbose_name=_("key words"), blank=True)
    prompt = models.ForeignKey(
        "reflections.Prompt",
        verbose_name=_("answers the question"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
    )
    shared_at = models.DateTimeField(_("shared with the coaches"), null=True, blank=True)
    # Who the entry was shared with: the coaches of the author's training groups at the
    # moment of sharing. A coach who joins a group later does not read earlier entries.
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared with"),
        related_name="entries_shared_with_me",
        blank=True,
    )
    # Raised by every save; a save based on an older version is a conflict, never an overwrite.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    deleted_at = models.DateTimeField(_("in the trash since"), null=True, blank=True)
    # The words of the title and text for the Swedish full-text search, kept by a PostgreSQL
    # trigger on every insert and every change of either (migration 0009), so a search reads
    # them instead of working them out again for each of the author's entries. Always empty
    # on SQLite, which searches by substrings (reflections.selectors.search).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = EntryManager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-written_on", "-created_at"]
        indexes = [
            models.Index(
                fields=["author", "-written_on"],
                name="entry_author_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            models.Index(
                fields=["shared_at"], name="entry_shared_idx", condition=Q(shared_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        # Never the text: entries show up in logs and admin lists.
        return f"#{self.pk}"

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None

    @property
    def body_html(self) -> str:
        return render_formatted(self.body)

    @property
    def display_title(self) -> str:
        return self.title or self.written_on.isoformat()


class Feedback(models.Model):
    """A coach's answer to a shared entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="feedback")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="given_feedback"
    )
    text = models.TextField(_("feedback"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    # When the entry's author first opened the entry after this feedback was written: until
    # then the manager's start page shows it as new.
    seen_at = models.DateTimeField(_("read by the author"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"#{self.pk}"


class Commitment(models.Model):
    """Provgöra: something the manager will try, followed up when it falls due."""

    class Outcome(models.TextChoices):
        DONE = "gjort", _("Done")
        PARTLY = "delvis", _("Partly")
        NOT_YET = "inte_an", _("Not yet")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commitments"
    )
    text = models.CharField(_("This is what I will try"), max_length=500)
    due_on = models.DateField(_("follow up on"))
    entry = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="commitments"
    )
    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    outcome = models.CharField(
        _("how did it go?"), max_length=10, choices=Outcome.choices, blank=True
    )
    outcome_reflection = models.TextField(_("a short reflection"), blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["author", "due_on"], name="commitment_author_due_idx")]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.followed_up_at is None


class LedordRating(models.Model):
    """The manager's own rating, 1–5, on the ledord they chose to rate (one, two or all three).
    Private to the manager."""

    KEYS = ("modigt", "tydligt", "engagerande")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledord_ratings"
    )
    rated_on = models.DateField(_("date"), default=timezone.localdate)
    entry = models.ForeignKey(
        Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="ratings"
    )
    # Empty where the manager did not rate that ledord this time.
    modigt = models.PositiveSmallIntegerField(_("Brave"), null=True, blank=True)
    tydligt = models.PositiveSmallIntegerField(_("Clear"), null=True, blank=True)
    engagerande = models.PositiveSmallIntegerField(_("Engaging"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("self-rating")
        verbose_name_plural = _("self-ratings")
        ordering = ["rated_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                name="rating_between_1_and_5",
                condition=(Q(modigt__isnull=True) | Q(modigt__range=(1, 5)))
                & (Q(tydligt__isnull=True) | Q(tydligt__range=(1, 5)))
                & (Q(engagerande__isnull=True) | Q(engagerande__range=(1, 5))),
            ),
            models.CheckConstraint(
                name="rating_rates_at_least_one",
                condition=Q(modigt__isnull=False)
                | Q(tydligt__isnull=False)
                | Q(engagerande__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def values(self) -> dict[str, int | None]:
        return {key: getattr(self, key) for key in self.KEYS}


class Prompt(models.Model):
    """Provtänka: a reflection question from the coach, for a theme or for a session."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="prompts"
    )
    question = models.CharField(_("question"), max_length=500)
    theme = models.ForeignKey(
        "programme.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, null=True, blank=True
    )
    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        verbose_name=pgettext_lazy("training", "session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="prompts",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reflection question")
        verbose_name_plural = _("reflection questions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="prompt_for_theme_or_session",
                condition=Q(theme__isnull=False) | Q(session__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.question[:60]


class Repetition(models.Model):
    """The manager went through a session's key points again ("Repetera")."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="repetitions"
    )
    session = models.ForeignKey(
        "training_sessions.TrainingSession",
        verbose_name=pgettext_lazy("training", "session"),
        on_delete=models.CASCADE,
        related_name="repetitions",
    )
    created_at = models.DateTimeField(_("repeated"), default=timezone.now)

    class Meta:
        verbose_name = _("repetition")
        verbose_name_plural = _("repetitions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["author", "session", "created_at"], name="repetition_author_idx")
        ]

    def __str__(self) -> str:
        return f"{self.author} – {self.session_id}"
