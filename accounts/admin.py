from axes import admin as axes_admin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa, security_log
from accounts.models import Department, StaffImport, User
from accounts.roles import Role

# What an administrator reads of roles and permissions. Roles are groups named by Role's
# values ("chef", "ledartranare"), which the code looks up; people read Role's labels. A
# permission's name is stored in English when it is created: the custom ones are msgids of
# their model's Meta.permissions, and Django's own ("Can add …") are made here from the
# model's name, so the lists read in the administrator's language.


def role_label(group: Group) -> str:
    return str(Role(group.name).label) if group.name in Role.values else group.name


DEFAULT_PERMISSION_NAMES = {
    "add": _("Can add %(name)s"),
    "change": _("Can change %(name)s"),
    "delete": _("Can delete %(name)s"),
    "view": _("Can view %(name)s"),
}
# Models whose apps give them no translatable name (django-otp's are plain English text).
MODEL_NAMES = {
    "otp_totp.totpdevice": _("authenticator app"),
    "otp_static.staticdevice": _("recovery code list"),
    "otp_static.statictoken": _("recovery code"),
}


def permission_label(permission) -> str:
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    opts = model._meta
    model_name = MODEL_NAMES.get(opts.label_lower, opts.verbose_name)
    action, _sep, target = permission.codename.partition("_")
    custom = dict(opts.permissions).get(permission.codename)
    if custom is not None:
        name = custom
    elif target == opts.model_name and action in DEFAULT_PERMISSION_NAMES:
        name = DEFAULT_PERMISSION_NAMES[action] % {"name": model_name}
    else:
        name = permission.name
    return f"{capfirst(opts.app_config.verbose_name)} | {capfirst(model_name)} | {name}"


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return role_label(obj)


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return permission_label(obj)


def _labelled_choices(db_field, kwargs: dict) -> dict:
    if db_field.name == "groups":
        kwargs["form_class"] = RoleChoiceField
    elif db_field.name in ("permissions", "user_permissions"):
        kwargs["form_class"] = PermissionChoiceField
        # Each label reads its permission's model: loaded with the list, not one by one.
        queryset = kwargs.get("queryset", db_field.remote_field.model.objects)
        kwargs["queryset"] = queryset.select_related("content_type")
    return kwargs


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "parent__name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


class ForvaltningFilter(admin.SimpleListFilter):
    """People by förvaltning: those in its enheter and those placed on it directly. Listed
    from the förvaltningar alone, in one query (filtering on the department's parent listed
    every department, each named with its parent: a query per enhet, thousands at scale)."""

    title = pgettext_lazy("department", "Administration")
    parameter_name = "forvaltning"

    def lookups(self, request, model_admin):
        return (
            Department.objects.filter(kind=Department.Kind.FORVALTNING)
            .order_by("name")
            .values_list("pk", "name")
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value is None or value == "":
            return queryset
        # From the address it is text; when the admin counts facets, the lookup's own id.
        try:
            pk = int(value)
        except ValueError:
            return queryset.none()
        return queryset.filter(Q(department_id=pk) | Q(department__parent_id=pk))


class RoleFilter(admin.SimpleListFilter):
    """People by role, named as people read them."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(groups__name=self.value())
        return queryset


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["full_name", "email"]
    list_display = ["full_name", "email", "department", "roles", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", RoleFilter, ForvaltningFilter]
    list_select_related = ["department", "department__parent"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["department"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "department")}),
        (
            _("Role and access"),
            {
                "fields": (
                    "is_active",
                    "groups",
                    "is_staff",
                    "is_superuser",
                    "user_permissions",
                    "two_step",
                )
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined", "two_step"]
    actions = ["reset_two_step"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **_labelled_choices(db_field, kwargs)
        )

    @admin.display(description=_("role"))
    def roles(self, obj: User) -> str:
        return ", ".join(sorted(role_label(group) for group in obj.groups.all()))

    @admin.display(description=_("Two-step verification"))
    def two_step(self, obj: User) -> str:
        if mfa.has_app(obj):
            return _("An authenticator app is set up.")
        return _("No authenticator app.")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Nobody is deleted: history (attendance, reflections) stays; deactivate instead.
        return False

    def has_reset_two_step_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    @admin.action(
        description=_("Reset two-step verification (a lost phone)"), permissions=["reset_two_step"]
    )
    def reset_two_step(self, request, queryset) -> None:
        count = 0
        for user in queryset:
            if mfa.reset(user=user):
                count += 1
                self.log_change(request, user, _("Reset two-step verification."))
                security_log.record(
                    "two_step_reset",
                    request=request,
                    user_id=user.pk,
                    outcome="success",
                    by=request.user.pk,
                )
        self.message_user(
            request,
            ngettext(
                "%(count)d person sets up an authenticator app again at their next sign-in.",
                "%(count)d people set up an authenticator app again at their next sign-in.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


# The roles, by the names people read; the portal finds each by its technical name.
admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(DjangoGroupAdmin):
    list_display = ["role"]
    actions = None  # no deleting many at once: a role is never deleted

    @admin.display(description=_("role"), ordering="name")
    def role(self, obj: Group) -> str:
        return role_label(obj)

    @staticmethod
    def _is_role(obj) -> bool:
        return obj is not None and obj.name in Role.values

    def get_fields(self, request, obj=None):
        # A role's technical name is not shown, nor changed: renaming it would take the
        # role from everyone who has it.
        if self._is_role(obj):
            return ["role", "permissions"]
        return ["name", "permissions"]

    def get_readonly_fields(self, request, obj=None):
        return ["role"] if self._is_role(obj) else []

    def has_delete_permission(self, request, obj=None) -> bool:
        if self._is_role(obj):
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **_labelled_choices(db_field, kwargs)
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        group = self.get_object(request, object_id)
        if group is not None:
            extra_context = {**(extra_context or {}), "subtitle": role_label(group)}
        return super().change_view(request, object_id, form_url, extra_context)


# django-axes' list of sign-in attempts, with the two texts it leaves untranslated in Swedish.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    @admin.display(description=_("Lockout ends"))
    def expiration(self, obj: AccessAttempt):
        return super().expiration(obj)

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset) -> None:
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "%(count)d expired attempt was removed.",
                "%(count)d expired attempts were removed.",
                count,
            )
            % {"count": count},
        )


# Two-step devices are not edited one by one: an administrator resets a person's two-step
# verification from the list of people (the action above), and django-otp's own pages, in
# English, would show little else (their secrets are hidden).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(StaffImport)
class StaffImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "created_at", "created_by", "status", "applied_at"]
    list_filter = ["status"]
    fields = [
        "filename",
        "created_at",
        "created_by",
        "status",
        "applied_at",
        "deactivate_missing",
        "summary",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
