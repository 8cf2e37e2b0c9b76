from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.meeting_services import TAKEAWAY_MAX, MeetingData
from network.models import MEETING_LINK_MAX, MEETING_NOTE_MAX, MEETING_PLACE_MAX, Meeting
from shared.forms import DateInput, TimeInput, submit_helper


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends"), widget=TimeInput())
    place = forms.CharField(
        label=_("Place"),
        required=False,
        help_text=_("A room or an address. Give a place, a meeting link or both."),
        widget=forms.TextInput(attrs={"maxlength": MEETING_PLACE_MAX}),
    )
    link = forms.CharField(
        label=_("Meeting link (optional)"),
        required=False,
        help_text=_("For a meeting on Teams or the like: the address that starts with https://"),
        widget=forms.URLInput(attrs={"maxlength": MEETING_LINK_MAX, "inputmode": "url"}),
    )
    note = forms.CharField(
        label=_("What will you talk about? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MEETING_NOTE_MAX}),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(submit_label or _("Propose the meeting"))

    def _aware(self, at: time) -> datetime:
        naive = datetime.combine(self.cleaned_data["date"], at)
        return timezone.make_aware(naive, timezone.get_default_timezone())

    def meeting_data(self) -> MeetingData:
        data = self.cleaned_data
        return MeetingData(
            starts_at=self._aware(data["start_time"]),
            ends_at=self._aware(data["end_time"]),
            place=data["place"],
            link=data["link"],
            note=data["note"],
        )

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict:
        start = timezone.localtime(meeting.starts_at)
        return {
            "date": start.date(),
            "start_time": start.time(),
            "end_time": timezone.localtime(meeting.ends_at).time(),
            "place": meeting.place,
            "link": meeting.link,
            "note": meeting.note,
        }


class TakeawayForm(forms.Form):
    text = forms.CharField(
        label=_("What do you take with you from the meeting?"),
        required=False,
        help_text=_("It goes into your journal, private: only you read it unless you share it."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TAKEAWAY_MAX}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save in my journal"))
