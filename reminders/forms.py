from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Pause, ReminderKind
from shared.forms import DateInput, submit_helper

MAX_PAUSE = timedelta(days=366)


class PreferenceForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Send me these reminders"),
        choices=ReminderKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save the settings"))


class PauseForm(forms.ModelForm):
    class Meta:
        model = Pause
        fields = ["starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        labels = {"starts_on": _("Pause from"), "ends_on": _("Pause until (inclusive)")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = submit_helper(_("Pause the reminders"))

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if not starts_on or not ends_on:
            return cleaned
        today = timezone.localdate()
        if starts_on < today:
            self.add_error("starts_on", _("A pause cannot begin in the past."))
        if ends_on < starts_on:
            self.add_error("ends_on", _("The pause must end on or after the day it begins."))
        elif ends_on - starts_on >= MAX_PAUSE:
            self.add_error("ends_on", _("A pause can be at most one year long."))
        overlapping = Pause.objects.filter(
            user=self.user, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        if overlapping.exists():
            self.add_error(None, _("You already have a pause in that period."))
        return cleaned
