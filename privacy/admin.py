from django.contrib import admin

from privacy.models import DeletionRecord, ErasureRecord, RetentionRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """A log: administrators read it; nobody adds, changes or deletes a row by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DeletionRecord)
class DeletionRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "rule", "model", "deleted", "cutoff"]
    list_filter = ["rule"]
    date_hierarchy = "created_at"


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "person_id", "reason", "erased_by"]
    list_filter = ["reason"]
    list_select_related = ["erased_by"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "started_at", "deleted"]
    date_hierarchy = "finished_at"
