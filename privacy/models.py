from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeletionRecord(models.Model):
    """One rule's deletions in one run of gallring: never a name, only ids and counts."""

    rule = models.CharField(_("rule"), max_length=40)
    model = models.CharField(_("model"), max_length=80)
    cutoff = models.DateTimeField(_("older than"))
    deleted = models.PositiveIntegerField(_("deleted"))
    # The primary keys of the deleted (or anonymised) rows; empty for sessions, whose keys
    # are credentials.
    object_ids = models.JSONField(_("ids"), default=list, blank=True)
    # Rows deleted with them (an entry's feedback, say): model label -> count.
    cascaded = models.JSONField(_("deleted with them"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("deletion (gallring)")
        verbose_name_plural = _("deletions (gallring)")
        ordering = ["-created_at", "rule"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.rule}: {self.deleted}"


class ErasureRecord(models.Model):
    """That a person's data was erased: the pseudonymous id that remains, who did it, and
    how many rows of each kind were deleted or anonymised. Nothing about who they were."""

    class Reason(models.TextChoices):
        REQUEST = "begaran", _("On request, by an administrator")
        RETENTION = "gallring", _("Gallring after deactivation")

    person_id = models.PositiveBigIntegerField(_("anonymised user id"), db_index=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    counts = models.JSONField(_("rows"), default=dict)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} #{self.person_id}"


class RetentionRun(models.Model):
    """That gallring ran to the end, when, and how many rows each rule deleted: a run that
    deleted nothing leaves no DeletionRecord, and the administrator must still see it ran."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), db_index=True)
    # Rule name -> rows deleted, for the rules that deleted anything.
    deleted = models.JSONField(_("deleted"), default=dict, blank=True)

    class Meta:
        verbose_name = _("gallring run")
        verbose_name_plural = _("gallring runs")
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}: {sum(self.deleted.values())}"
