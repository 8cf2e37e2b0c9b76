"""Sessions and invitations in the admin: what an administrator may have to correct.

Every change goes through the services the coach's pages use, so those invited hear of it
as they would from the coach: a changed place, time or coach sends the updated calendar
event, a cancellation sends the cancellation (after the same five minutes in which it can be
undone on the session's page), and attendance is marked as on the attendance page. Nothing
is added or deleted here: sessions are scheduled on the coach's pages, which invite the
group, and a session is cancelled rather than deleted. A manager's comment on their
förhinder is theirs and their coach's (the privacy registry calls it sensitive): it is
never shown here, nor searched or filtered on.
"""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from accounts.roles import Role
from sessions import services
from sessions.models import Invitation, TrainingSession

# What an administrator may correct on a session; the rest (programme, group, format,
# theme) is how it was scheduled, shown read-only.
SESSION_EDITABLE = [
    "title",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "coaches",
    "description",
    "key_points",
    "status",
]
SESSION_READ_ONLY = [
    "programme",
    "cohort",
    "format",
    "theme",
    "focus_area",
    "cancelled_at",
    "created_at",
    "updated_at",
]


class TrainingSessionAdminForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = SESSION_EDITABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.instance
        if "coaches" in self.fields:
            # The coaches there are, and whoever runs this session already.
            self.fields["coaches"].queryset = (
                User.objects.filter(
                    Q(is_active=True, groups__name=Role.LEDARTRANARE)
                    | Q(pk__in=session.coaches.all())
                )
                .distinct()
                .order_by("full_name")
            )
        if "status" in self.fields:
            # Held follows from the attendance; from here a planned session can be cancelled.
            keep = {session.status}
            if session.status == TrainingSession.Status.PLANNED:
                keep.add(TrainingSession.Status.CANCELLED)
            self.fields["status"].choices = [
                (value, label) for value, label in TrainingSession.Status.choices if value in keep
            ]
            self.fields["status"].help_text = _(
                "Cancelling tells everyone invited by email after five minutes; until then it "
                "can be undone on the session's page."
            )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        open_session = self.instance.cohort_id is None
        if open_session and "capacity" in self.fields and not cleaned.get("capacity"):
            self.add_error("capacity", _("An open make-up session needs a number of places."))
        return cleaned


def _session_data(session: TrainingSession, coaches) -> services.SessionData:
    return services.SessionData(
        programme_id=session.programme_id,
        cohort=session.cohort,
        capacity=session.capacity,
        theme_id=session.theme_id,
        focus_area_id=session.focus_area_id,
        format=session.format,
        title=session.title,
        description=session.description,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        place=session.place,
        coaches=list(coaches),
        key_points=session.key_points,
    )


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    form = TrainingSessionAdminForm
    list_display = ["title", "starts_at", "cohort", "place", "coach_names", "format", "status"]
    list_filter = ["status", "format", "programme"]
    date_hierarchy = "starts_at"
    search_fields = ["title", "place", "cohort__name"]
    list_select_related = ["cohort"]
    ordering = ["-starts_at"]
    fieldsets = (
        (None, {"fields": ["title", "starts_at", "ends_at", "place", "status", "coaches"]}),
        (
            _("How it was scheduled"),
            {"fields": ["programme", "cohort", "format", "theme", "focus_area", "capacity"]},
        ),
        (_("Content"), {"fields": ["description", "key_points"]}),
        (_("Dates"), {"fields": ["cancelled_at", "created_at", "updated_at"]}),
    )
    filter_horizontal = ["coaches"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("coaches")

    @admin.display(description=_("leadership coaches"))
    def coach_names(self, obj: TrainingSession) -> str:
        return ", ".join(sorted(coach.full_name or coach.email for coach in obj.coaches.all()))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_cancelled:
            return SESSION_READ_ONLY + SESSION_EDITABLE
        return SESSION_READ_ONLY

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # A cancelled session is history: nothing more is sent about it.
        if obj is not None and obj.is_cancelled:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        session = TrainingSession.objects.get(pk=obj.pk)
        changed = set(form.changed_data)
        if changed - {"status"}:
            data = _session_data(obj, form.cleaned_data["coaches"])
            session = services.session_update(session=session, data=data, override=True)
        if "status" in changed and obj.status == TrainingSession.Status.CANCELLED:
            session = services.session_cancel(session=session, cancelled_by=request.user)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change) -> None:
        # The service has set the coaches.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ExcusedFilter(admin.SimpleListFilter):
    title = pgettext_lazy("invitation", "förhinder")
    parameter_name = "forhinder"

    def lookups(self, request, model_admin):
        return (("ja", _("Yes")), ("nej", _("No")))

    def queryset(self, request, queryset):
        if self.value() in ("ja", "nej"):
            return queryset.filter(excused_at__isnull=self.value() == "nej")
        return queryset


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["attendance"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.attendance:
            # A mark can be corrected, not taken back to "not marked".
            self.fields["attendance"].choices = Invitation.Attendance.choices
            self.fields["attendance"].required = True


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = InvitationAdminForm
    list_display = [
        "person",
        "session_title",
        "session_starts",
        "is_makeup",
        "excused",
        "attendance",
    ]
    list_filter = [
        "attendance",
        "is_makeup",
        ExcusedFilter,
        "session__status",
        "session__programme",
    ]
    date_hierarchy = "session__starts_at"
    search_fields = ["user__full_name", "user__email", "session__title"]
    ordering = ["-session__starts_at", "user__full_name"]
    # excuse_comment is left out: the manager's own words about their förhinder.
    fields = [
        "session_title",
        "session_starts",
        "person",
        "invited",
        "is_makeup",
        "excused_at",
        "attendance",
        "marked_at",
        "marked_by",
    ]
    readonly_fields = [
        "session_title",
        "session_starts",
        "person",
        "invited",
        "is_makeup",
        "excused_at",
        "marked_at",
        "marked_by",
    ]

    @admin.display(description=pgettext_lazy("training", "session"), ordering="session__title")
    def session_title(self, obj: Invitation) -> str:
        return obj.session.title

    @admin.display(description=_("starts"), ordering="session__starts_at")
    def session_starts(self, obj: Invitation):
        return obj.session.starts_at

    @admin.display(description=_("Person"), ordering="user__full_name")
    def person(self, obj: Invitation) -> str:
        return obj.user.full_name or obj.user.email

    @admin.display(description=_("invited"))
    def invited(self, obj: Invitation):
        return obj.invited_at

    @admin.display(description=_("Förhinder"), boolean=True)
    def excused(self, obj: Invitation) -> bool:
        return obj.has_excuse

    @admin.display(description=_("attendance marked"))
    def marked_at(self, obj: Invitation):
        return obj.attendance_marked_at

    @admin.display(description=_("marked by"))
    def marked_by(self, obj: Invitation) -> str:
        marker = obj.attendance_marked_by
        return (marker.full_name or marker.email) if marker else ""

    def get_queryset(self, request):
        # All three here: with any select_related of its own, a list ignores list_select_related.
        return (
            super().get_queryset(request).select_related("user", "session", "attendance_marked_by")
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        if "attendance" in form.changed_data and obj.attendance:
            services.attendance_mark(
                session=obj.session, marks={obj.user_id: obj.attendance}, marked_by=request.user
            )
        obj.refresh_from_db()
