from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department, StaffImport, User


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
    list_display = ["full_name", "email", "department", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "groups", ForvaltningFilter]
    list_select_related = ["department", "department__parent"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["department"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "department")}),
        (
            _("Role and access"),
            {"fields": ("is_active", "groups", "is_staff", "is_superuser", "user_permissions")},
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
    readonly_fields = ["last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Nobody is deleted: history (attendance, reflections) stays; deactivate instead.
        return False


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
