from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import selectors, services
from notifications.models import OutboxMessage


class WaitingFilter(admin.SimpleListFilter):
    """The emails the administrator's start page counts as waiting too long, exactly."""

    title = _("waiting")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("hour", _("Due more than an hour ago, not sent"))]

    def queryset(self, request, queryset):
        if self.value() == "hour":
            return queryset.filter(selectors.outbox_waiting_too_long_q())
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "recipients", "status", "attempts", "sent_at"]
    list_filter = ["status", WaitingFilter, "created_at"]
    search_fields = ["subject", "to"]
    date_hierarchy = "created_at"
    actions = ["retry_failed"]
    fields = [
        "status",
        "idempotency_key",
        "recipient_user",
        "from_email",
        "to",
        "cc",
        "bcc",
        "reply_to",
        "subject",
        "body_text",
        "body_html",
        "alternatives",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "enqueued_at",
        "claimed_at",
        "sent_at",
    ]

    @admin.display(description=_("to"))
    def recipients(self, obj: OutboxMessage) -> str:
        return ", ".join(obj.to)

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    # Emails can carry secrets (password-reset links): administrators only.
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

    def has_retry_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    @admin.action(description=_("Send the selected failed messages again"), permissions=["retry"])
    def retry_failed(self, request, queryset) -> None:
        count = sum(
            services.outbox_retry(message_id=pk)
            for pk in queryset.filter(status=OutboxMessage.Status.FAILED).values_list(
                "pk", flat=True
            )
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d message was queued again.",
                "%(count)d messages were queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
