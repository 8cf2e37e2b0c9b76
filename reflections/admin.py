from django.contrib import admin

from reflections.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Metadata only: administrators never see what a manager wrote."""

    list_display = ["id", "author", "written_on", "shared_at", "deleted_at", "version"]
    list_filter = ["written_on"]
    fields = ["author", "written_on", "shared_at", "deleted_at", "version", "created_at"]
    readonly_fields = fields
    search_fields = []

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
