from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A part of the organisation: a förvaltning, or an enhet within one."""

    class Kind(models.TextChoices):
        FORVALTNING = "forvaltning", _("Administration (förvaltning)")
        ENHET = "enhet", _("Unit (enhet)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="department_enhet_has_forvaltning",
                condition=(
                    models.Q(kind="forvaltning", parent__isnull=True)
                    | models.Q(kind="enhet", parent__isnull=False)
                ),
                violation_error_message=_(
                    "A unit must belong to an administration, and an administration to nothing."
                ),
            ),
            # Coalesce: a NULL parent (förvaltningar) must count as equal, also on SQLite.
            models.UniqueConstraint(
                Lower("name"),
                Coalesce("parent", models.Value(0)),
                name="department_unique_name_in_parent",
                violation_error_message=_("There is already a department with this name here."),
            ),
        ]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name

    @property
    def forvaltning(self) -> "Department":
        return self.parent if self.parent_id else self


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields.get("is_staff") is not True or extra_fields.get("is_superuser") is not True:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive people cannot sign in. Nobody is deleted: deactivate instead."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the person may sign in to the administration site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the person is deactivated; gallring anonymises them a set time after it.
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True, editable=False)
    # The language of the emails the portal sends them; the pages follow the language switch.
    language = models.CharField(
        _("language for email"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_unique_email_ci",
                violation_error_message=_("There is already an account with this email address."),
            ),
        ]
        permissions = [
            ("write_journal", _("Can keep a reflection journal")),
            ("coach_programme", _("Can run programmes, cohorts and sessions")),
            ("view_reports", _("Can see participation reports")),
            ("import_staff", _("Can import the staff list")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs) -> None:
        if self.is_active:
            self.deactivated_at = None
        elif self.deactivated_at is None:
            self.deactivated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "is_active" in update_fields:
            kwargs["update_fields"] = {*update_fields, "deactivated_at"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def forvaltning_id(self) -> int | None:
        """The förvaltning the person works in (their unit's parent)."""
        if self.department_id is None:
            return None
        return self.department.parent_id or self.department_id

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class StaffImport(models.Model):
    """One upload of the personnel list: previewed first, applied at most once."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Previewed")
        APPLIED = "applied", _("Applied")

    created_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    filename = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(_("rows"))
    # The managers the preview showed as missing: only they can be deactivated on confirm.
    missing_emails = models.JSONField(_("missing people"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    deactivate_missing = models.BooleanField(_("deactivated missing people"), default=False)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("staff import")
        verbose_name_plural = _("staff imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"
