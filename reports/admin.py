from django.contrib import admin

from reports.models import ReportAccess, SickLeaveFigure, SickLeaveImport


class _SuperuserReadOnly(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        hidden = self.exclude or ()
        return [field.name for field in self.model._meta.fields if field.name not in hidden]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportAccess)
class ReportAccessAdmin(_SuperuserReadOnly):
    """Who looked at which report, with which filters: append-only, for administrators."""

    list_display = ["created_at", "user", "action", "report", "file_format", "filters"]
    list_filter = ["action", "report", "created_at"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"


@admin.register(SickLeaveFigure)
class SickLeaveFigureAdmin(_SuperuserReadOnly):
    """Which months and departments have figures; the hours are health data about small
    groups, read in the portal only through HR's pages with their small-group rules."""

    list_display = ["month", "department", "employees", "source"]
    list_filter = ["month"]
    list_select_related = ["department__parent"]
    exclude = ["scheduled_hours", "sick_hours"]


@admin.register(SickLeaveImport)
class SickLeaveImportAdmin(_SuperuserReadOnly):
    list_display = ["created_at", "filename", "created_by", "status", "applied_at"]
    exclude = ["rows"]
