from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from programme.models import FocusArea, Keyword, Theme
from reflections.models import LedordRating
from reflections.services import EntryData
from shared.forms import (
    DateInput,
    SecondarySubmit,
    submit_helper,
)

SCALE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class SessionChoiceField(forms.ModelChoiceField):
    """A session the manager was invited to, named so that two with the same title can be
    told apart: its date and training group (or that it was an open make-up session), and
    "inställd" when it was cancelled after it was linked."""

    def __init__(self, **kwargs):
        super().__init__(queryset=None, required=False, **kwargs)

    def label_from_instance(self, session):
        details = [
            formats.date_format(timezone.localtime(session.starts_at)),
            session.cohort.name if session.cohort else str(_("open make-up session")),
        ]
        if session.is_cancelled:
            details.append(str(pgettext("session", "cancelled")))
        return _("%(title)s (%(details)s)") % {
            "title": session.title,
            "details": ", ".join(details),
        }


def offer_sessions(form: forms.Form, user) -> None:
    """The form's session choices: the recent ones, and the one it already names or was sent,
    whatever its age, so that saving never drops a link (sessions.selectors.linkable_sessions)."""
    from sessions.selectors import linkable_sessions

    named = [form.initial.get("session"), form.data.get(form.add_prefix("session"))]
    form.fields["session"].queryset = linkable_sessions(
        user, keep=[int(pk) for pk in named if str(pk or "").isdigit()]
    )


class EntryForm(forms.Form):
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    written_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    body = forms.CharField(
        label=_("Reflection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "journal-body"}),
        help_text=_("Saved by itself while you write. Formatting: **bold**, *italics*, lists."),
    )
    session = SessionChoiceField(label=pgettext_lazy("training", "Session"))
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    focus_area = forms.ModelChoiceField(
        label=_("Focus area"), queryset=FocusArea.objects.all(), required=False
    )
    keywords = forms.ModelMultipleChoiceField(
        label=_("Key words (ledord)"),
        queryset=Keyword.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rate_modigt = forms.TypedChoiceField(
        label=_("Rate yourself now: brave"),
        choices=[("", "–"), *SCALE_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    rate_tydligt = forms.TypedChoiceField(
        label=_("Clear"),
        choices=[("", "–"), *SCALE_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    rate_engagerande = forms.TypedChoiceField(
        label=_("Engaging"),
        choices=[("", "–"), *SCALE_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    prompt = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def rating(self) -> dict[str, int | None]:
        """The ledord rated with the entry: any of the three, or none (None where not rated)."""
        return {key: self.cleaned_data.get(f"rate_{key}") for key in LedordRating.KEYS}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_sessions(self, user)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", _("Save")))

    def entry_data(self) -> EntryData:
        data = self.cleaned_data
        return EntryData(
            title=data["title"],
            body=data["body"],
            written_on=data["written_on"],
            session_id=data["session"].pk if data["session"] else None,
            theme_id=data["theme"].pk if data["theme"] else None,
            focus_area_id=data["focus_area"].pk if data["focus_area"] else None,
            keyword_ids=tuple(k.pk for k in data["keywords"]),
        )

    @staticmethod
    def initial_for(entry, rating=None) -> dict:
        """The entry as stored, with the rating given with it (`entry_rating`)."""
        return {
            "title": entry.title,
            "written_on": entry.written_on,
            "body": entry.body,
            "session": entry.session_id,
            "theme": entry.theme_id,
            "focus_area": entry.focus_area_id,
            "keywords": [k.pk for k in entry.keywords.all()],
            "version": entry.version,
        } | {f"rate_{key}": value for key, value in (rating.values() if rating else {}).items()}


class JournalSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False)
    session = SessionChoiceField(label=pgettext_lazy("training", "Session"))
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    keyword = forms.ModelChoiceField(
        label=_("Key word"), queryset=Keyword.objects.all(), required=False
    )
    since = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    until = forms.DateField(label=_("To"), widget=DateInput(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_method = "get"
        offer_sessions(self, user)
        self.helper.add_input(SecondarySubmit("sok", _("Search")))


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Your feedback"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Send feedback"))


class EntryChoiceField(forms.ModelChoiceField):
    """One of the manager's entries, by its title and the day it was written."""

    def label_from_instance(self, entry):
        day = formats.date_format(entry.written_on)
        if not entry.title:
            return day
        return _("%(title)s, %(date)s") % {"title": entry.title, "date": day}


class CommitmentForm(forms.Form):
    text = forms.CharField(label=_("This is what I will try"), max_length=500)
    due_on = forms.DateField(label=_("Follow up on"), widget=DateInput())
    entry = EntryChoiceField(label=_("From the entry"), queryset=None, required=False)
    session = SessionChoiceField(label=pgettext_lazy("training", "From the session"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from reflections.selectors import linkable_entries

        named = self.data.get(self.add_prefix("entry"), "")
        self.fields["entry"].queryset = linkable_entries(
            user, keep=int(named) if named.isdigit() else None
        )
        offer_sessions(self, user)
        self.helper = submit_helper(_("Save the commitment"))

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return due_on


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[("gjort", _("Done")), ("delvis", _("Partly")), ("inte_an", _("Not yet"))],
        widget=forms.RadioSelect,
    )
    reflection = forms.CharField(
        label=_("A short reflection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save the follow-up"))


SCALE = [(n, str(n)) for n in range(1, 6)]


class RatingForm(forms.Form):
    rated_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    modigt = forms.TypedChoiceField(
        label=_("Brave"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    tydligt = forms.TypedChoiceField(
        label=_("Clear"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    engagerande = forms.TypedChoiceField(
        label=_("Engaging"),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save the rating"))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and all(cleaned.get(key) is None for key in LedordRating.KEYS):
            raise forms.ValidationError(_("Rate at least one ledord."))
        return cleaned


class PromptForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=500)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    session = forms.ModelChoiceField(
        label=pgettext_lazy("training", "Session"), queryset=None, required=False
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.helper = submit_helper(_("Save the question"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("theme") and not cleaned.get("session"):
            self.add_error("theme", _("Choose a theme or a session for the question."))
        return cleaned
