from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.text import render_formatted


class FrameworkItem(models.Model):
    """A theme, focus area or ledord: named, described, and ordered."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(
        _("description"), help_text=_("Formatted text: **bold**, *italics*, lists and links.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def description_html(self) -> str:
        return render_formatted(self.description)


class Theme(FrameworkItem):
    class Meta(FrameworkItem.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class FocusArea(FrameworkItem):
    class Meta(FrameworkItem.Meta):
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")


class Keyword(FrameworkItem):
    """A ledord: modigt, tydligt, engagerande."""

    class Meta(FrameworkItem.Meta):
        verbose_name = _("key word")
        verbose_name_plural = _("key words")


DEFAULT_REPETITION_OFFSETS = (1, 3, 7, 14, 30)


def default_repetition_offsets() -> list[int]:
    return list(DEFAULT_REPETITION_OFFSETS)


class Programme(models.Model):
    """One run of the leadership training, e.g. "Ledarskapsträning 2027"."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    description = models.TextField(_("description"), blank=True)
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leadership coaches"),
        related_name="coached_programmes",
    )
    # Repetition reminders after each attended session: days after the session.
    repetition_offsets = models.JSONField(
        _("repetition schedule"), default=default_repetition_offsets
    )
    inactivity_nudge = models.BooleanField(
        _("nudge managers who have not written for 14 days"), default=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                name="programme_ends_after_start",
                condition=Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("The programme cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def description_html(self) -> str:
        return render_formatted(self.description)


class Cohort(models.Model):
    """A training group (träningsgrupp) of managers within a programme."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cohorts"
    )
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leadership coaches"),
        related_name="coached_cohorts",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("training group")
        verbose_name_plural = _("training groups")
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="cohort_unique_name_in_programme",
                violation_error_message=_(
                    "The programme already has a training group with this name."
                ),
            ),
            models.CheckConstraint(
                name="cohort_ends_after_start",
                condition=Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("The training group cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CohortMembership(models.Model):
    """A manager's time in a cohort. Leaving sets `left_on`; rows are never deleted."""

    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("training group"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    # Copied from the cohort so the database can enforce one active cohort per programme.
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        related_name="cohort_memberships",
    )
    joined_on = models.DateField(_("joined"), default=timezone.localdate)
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["cohort", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"],
                condition=Q(left_on__isnull=True),
                name="membership_one_active_cohort_per_programme",
            ),
            models.CheckConstraint(
                name="membership_leaves_after_joining",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
            ),
        ]
        indexes = [
            models.Index(
                fields=["cohort", "user"],
                name="membership_active_idx",
                condition=Q(left_on__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.cohort}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class NetworkRound(models.Model):
    """One round of network groups across one or more cohorts of a programme."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="rounds"
    )
    cohorts = models.ManyToManyField(
        Cohort, verbose_name=_("training groups"), related_name="network_rounds"
    )
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("network round")
        verbose_name_plural = _("network rounds")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class NetworkGroup(models.Model):
    round = models.ForeignKey(
        NetworkRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="groups"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="network_groups"
    )

    class Meta:
        verbose_name = _("network group")
        verbose_name_plural = _("network groups")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="network_group_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.number}"


class Module(models.Model):
    """Material for one theme in a programme: a theory part and a practice part."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="modules"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="modules"
    )
    title = models.CharField(_("title"), max_length=200)
    theory = models.TextField(
        _("theory"),
        blank=True,
        help_text=_("Formatted text: **bold**, *italics*, lists and links."),
    )
    practice = models.TextField(
        _("practice (exercises)"),
        blank=True,
        help_text=_("Formatted text: **bold**, *italics*, lists and links."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["theme__order", "order", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def theory_html(self) -> str:
        return render_formatted(self.theory)

    @property
    def practice_html(self) -> str:
        return render_formatted(self.practice)


class ModuleLink(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"), max_length=500)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ModuleAttachment(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="material/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=120)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


SUGGESTION_MAX = 2000


class FrameworkSuggestion(models.Model):
    """A manager's suggestion or comment on a theme, focus area or ledord, signed, to the
    coaches of their programme. A coach answers, and may publish the question and answer for
    everyone in the programme. HR sees counts only. Withdrawing clears the text; the empty row
    stays so that an answer on its way gets a clear message."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    # Null once the author is erased (a published question and answer stay, without a name).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="framework_suggestions",
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.CASCADE, null=True, blank=True
    )
    focus_area = models.ForeignKey(
        FocusArea, verbose_name=_("focus area"), on_delete=models.CASCADE, null=True, blank=True
    )
    keyword = models.ForeignKey(
        Keyword, verbose_name=_("key word"), on_delete=models.CASCADE, null=True, blank=True
    )
    text = models.TextField(_("suggestion or comment"), max_length=SUGGESTION_MAX, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    answer = models.TextField(_("answer"), max_length=SUGGESTION_MAX, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion on the framework")
        verbose_name_plural = _("suggestions on the framework")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="suggestion_on_one_item",
                condition=(
                    Q(theme__isnull=False, focus_area__isnull=True, keyword__isnull=True)
                    | Q(theme__isnull=True, focus_area__isnull=False, keyword__isnull=True)
                    | Q(theme__isnull=True, focus_area__isnull=True, keyword__isnull=False)
                ),
            )
        ]
        indexes = [
            models.Index(
                fields=["programme", "created_at"],
                name="suggestion_waiting_idx",
                condition=Q(answered_at__isnull=True, withdrawn_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        # Never the text.
        return f"#{self.pk}"

    @property
    def item(self) -> FrameworkItem:
        return self.theme or self.focus_area or self.keyword

    @property
    def kind_label(self) -> str:
        if self.theme_id:
            return _("Theme")
        if self.focus_area_id:
            return _("Focus area")
        return _("Key word")

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def text_html(self) -> str:
        return render_formatted(self.text)

    @property
    def answer_html(self) -> str:
        return render_formatted(self.answer)
