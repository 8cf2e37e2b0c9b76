from datetime import datetime, time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from accounts.roles import Role
from programme import selectors as programme_selectors
from programme.models import Cohort, FocusArea, Programme, Theme
from sessions.models import Invitation, TrainingSession
from sessions.services import SessionData
from shared.forms import (
    DateInput,
    SecondarySubmit,
    TimeInput,
    submit_helper,
)


class SessionForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    cohort = forms.ModelChoiceField(
        label=_("Training group"),
        queryset=Cohort.objects.none(),
        required=False,
        help_text=_("Leave empty for an open make-up session; then give the number of places."),
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, required=False)
    format = forms.ChoiceField(label=_("Format"), choices=TrainingSession.Format.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"), queryset=FocusArea.objects.all(), required=False
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends"), widget=TimeInput())
    place = forms.CharField(label=_("Place or room"), max_length=200, required=False)
    coaches = forms.ModelMultipleChoiceField(
        label=_("Leadership coaches"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    key_points = forms.CharField(
        label=_("Key points to repeat afterwards"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    override = forms.BooleanField(
        label=_("Save anyway, despite the overlaps above"), required=False
    )

    def __init__(self, *args, user, show_override: bool = False, in_series: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        cohorts = programme_selectors.cohort_list_editable_by(user)
        self.open_session_programmes = programme_selectors.programme_list_editable_by(user)
        programmes = Programme.objects.filter(
            Q(pk__in=self.open_session_programmes.values("pk"))
            | Q(pk__in=cohorts.values("programme_id"))
        )
        if in_series:
            self.fields["scope"] = forms.ChoiceField(
                label=_("Change"),
                choices=[
                    ("this", _("Only this session")),
                    ("following", _("This and all later sessions in the series")),
                ],
                widget=forms.RadioSelect,
                initial="this",
            )
        self.fields["programme"].queryset = programmes
        self.fields["cohort"].queryset = Cohort.objects.filter(pk__in=cohorts.values("pk"))
        self.fields["coaches"].queryset = User.objects.filter(
            is_active=True, groups__name=Role.LEDARTRANARE
        ).order_by("full_name")
        if not show_override:
            del self.fields["override"]
        self.helper = submit_helper(_("Save"))

    def clean(self):
        cleaned = super().clean()
        programme, cohort = cleaned.get("programme"), cleaned.get("cohort")
        if programme and cohort and cohort.programme_id != programme.pk:
            self.add_error("cohort", _("The training group belongs to another programme."))
        if not cohort and not cleaned.get("capacity") and "cohort" not in self.errors:
            self.add_error("capacity", _("An open make-up session needs a number of places."))
        if (
            programme
            and not cohort
            and "cohort" not in self.errors
            and not self.open_session_programmes.filter(pk=programme.pk).exists()
        ):
            self.add_error(
                "cohort", _("Only the programme's coaches can schedule open make-up sessions.")
            )
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
        return cleaned

    def _aware(self, at: time) -> datetime:
        naive = datetime.combine(self.cleaned_data["date"], at)
        return timezone.make_aware(naive, timezone.get_default_timezone())

    def session_data(self) -> SessionData:
        data = self.cleaned_data
        return SessionData(
            programme_id=data["programme"].pk,
            cohort=data["cohort"],
            capacity=data["capacity"] if not data["cohort"] else None,
            theme_id=data["theme"].pk if data["theme"] else None,
            focus_area_id=data["focus_area"].pk if data["focus_area"] else None,
            format=data["format"],
            title=data["title"],
            description=data["description"],
            starts_at=self._aware(data["start_time"]),
            ends_at=self._aware(data["end_time"]),
            place=data["place"].strip(),
            coaches=list(data["coaches"]),
            key_points=data["key_points"],
        )

    @classmethod
    def initial_for(cls, session: TrainingSession) -> dict:
        start = timezone.localtime(session.starts_at)
        end = timezone.localtime(session.ends_at)
        return {
            "programme": session.programme_id,
            "cohort": session.cohort_id,
            "capacity": session.capacity,
            "format": session.format,
            "title": session.title,
            "theme": session.theme_id,
            "focus_area": session.focus_area_id,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "place": session.place,
            "coaches": [c.pk for c in session.coaches.all()],
            "description": session.description,
            "key_points": session.key_points,
        }


class ExcuseForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Report förhinder"))


class CancelForm(forms.Form):
    message = forms.CharField(
        label=_("Message to those invited (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the cancellation, e.g. why, or when the group meets instead."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Cancel the session and tell those invited"))


class AttendanceForm(forms.Form):
    """One radio group per invited manager: present, absent or excused."""

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = list(invitations)
        for invitation in self.invitations:
            initial = invitation.attendance or (
                Invitation.Attendance.EXCUSED if invitation.has_excuse else ""
            )
            self.fields[f"user_{invitation.user_id}"] = forms.ChoiceField(
                label=invitation.user.full_name,
                choices=Invitation.Attendance.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=initial,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", _("Save attendance")))
        self.helper.add_input(SecondarySubmit("all_present", _("Everyone present")))

    def marks(self, *, all_present: bool) -> dict[int, str]:
        if all_present:
            # Someone who reported förhinder but checked in after all stays present.
            return {
                i.user_id: Invitation.Attendance.EXCUSED
                if i.has_excuse and i.attendance != Invitation.Attendance.PRESENT
                else Invitation.Attendance.PRESENT
                for i in self.invitations
            }
        return {
            i.user_id: self.cleaned_data[f"user_{i.user_id}"]
            for i in self.invitations
            if self.cleaned_data.get(f"user_{i.user_id}")
        }


WEEKDAYS = [
    (0, pgettext_lazy("weekday choice", "Monday")),
    (1, pgettext_lazy("weekday choice", "Tuesday")),
    (2, pgettext_lazy("weekday choice", "Wednesday")),
    (3, pgettext_lazy("weekday choice", "Thursday")),
    (4, pgettext_lazy("weekday choice", "Friday")),
]


class SeriesForm(SessionForm):
    """Many sessions by rule: every N weeks on a weekday, until a date or a number of times."""

    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    interval_weeks = forms.IntegerField(
        label=_("Every how many weeks"), min_value=1, max_value=12, initial=1
    )
    until = forms.DateField(label=_("Until (date)"), widget=DateInput(), required=False)
    count = forms.IntegerField(
        label=_("Or: number of sessions"), min_value=1, max_value=60, required=False
    )

    field_order = [
        "programme",
        "cohort",
        "capacity",
        "format",
        "title",
        "theme",
        "focus_area",
        "date",
        "weekday",
        "interval_weeks",
        "until",
        "count",
        "start_time",
        "end_time",
        "place",
        "coaches",
        "description",
        "key_points",
        "override",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("First possible date")
        self.order_fields(self.field_order)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(SecondarySubmit("preview", _("Show the dates")))
        self.helper.add_input(Submit("create", _("Create the sessions")))

    def clean(self):
        cleaned = super().clean()
        until, count, first = cleaned.get("until"), cleaned.get("count"), cleaned.get("date")
        if not until and not count:
            self.add_error("count", _("Give an end date or a number of sessions."))
        if until and count:
            self.add_error("count", _("Give either an end date or a number of sessions, not both."))
        if until and first and until < first:
            self.add_error("until", _("The end date must be on or after the first date."))
        return cleaned


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("The six characters the coach shows."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Check in"))
