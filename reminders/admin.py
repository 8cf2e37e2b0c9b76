from django.contrib import admin

from reminders.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """What the planner decided, for administrators: times and states, never any text."""

    list_display = ["due_at", "kind", "step", "user", "status", "skip_reason", "sent_at"]
    list_filter = ["status", "kind", "due_at"]
    search_fields = ["user__email", "key"]
    list_select_related = ["user"]
    date_hierarchy = "due_at"
    fields = [
        "key",
        "user",
        "kind",
        "session",
        "commitment",
        "step",
        "offset_days",
        "base_on",
        "due_at",
        "status",
        "skip_reason",
        "sent_at",
        "message",
        "responded_at",
        "response",
        "created_at",
    ]
    raw_id_fields = ["user", "session", "commitment", "message"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

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
