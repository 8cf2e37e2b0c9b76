from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SickLeaveFigure(models.Model):
    """One department's sick leave in one month, as the payroll system reported it."""

    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="sick_leave_figures",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    employees = models.PositiveIntegerField(_("employees"))
    scheduled_hours = models.DecimalField(_("scheduled hours"), max_digits=12, decimal_places=2)
    sick_hours = models.DecimalField(_("sick-leave hours"), max_digits=12, decimal_places=2)
    source = models.ForeignKey(
        "SickLeaveImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("sick-leave figure")
        verbose_name_plural = _("sick-leave figures")
        ordering = ["month", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "month"], name="sick_leave_once_per_department_month"
            ),
            models.CheckConstraint(
                name="sick_leave_hours_within_scheduled",
                condition=models.Q(sick_hours__lte=models.F("scheduled_hours")),
            ),
        ]
        indexes = [models.Index(fields=["month", "department"], name="sick_leave_month_idx")]

    def __str__(self) -> str:
        return f"{self.department} {self.month:%Y-%m}"


class SickLeaveImport(models.Model):
    """One upload of sick-leave figures: previewed first, applied at most once."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Previewed")
        APPLIED = "applied", _("Applied")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    filename = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(_("rows"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sick-leave import")
        verbose_name_plural = _("sick-leave imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"


class ReportAccess(models.Model):
    """Append-only: every report page HR viewed and every export, with its filters.

    The database refuses to change or delete a row (a trigger, on PostgreSQL)."""

    class Action(models.TextChoices):
        VIEW = "visning", _("Viewed")
        EXPORT = "export", _("Exported")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    report = models.CharField(_("report"), max_length=40)
    file_format = models.CharField(_("format"), max_length=8, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("report access")
        verbose_name_plural = _("report access log")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.report}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The report access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The report access log is append-only.")
