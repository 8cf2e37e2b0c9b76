from itertools import pairwise

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from programme.files import validate_material_file
from programme.models import (
    DEFAULT_REPETITION_OFFSETS,
    Cohort,
    Module,
    ModuleLink,
    Programme,
)
from shared.forms import (
    DateInput,
    submit_helper,
)


def _coach_choices():
    return User.objects.filter(is_active=True, groups__name=Role.LEDARTRANARE).order_by("full_name")


class PeriodFormMixin:
    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return cleaned


class FrameworkItemForm(forms.ModelForm):
    class Meta:
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"))


class DayOffsetsField(forms.CharField):
    """Days after a session, written "1, 3, 7, 14, 30": growing, each 1–365, at most 10."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(day) for day in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return []
        parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(
                _("Write whole numbers of days separated by commas, e.g. 1, 3, 7, 14, 30.")
            )
        days = [int(part) for part in parts]
        if any(day < 1 or day > 365 for day in days):
            raise forms.ValidationError(_("Each day must be between 1 and 365."))
        if any(later <= earlier for earlier, later in pairwise(days)):
            raise forms.ValidationError(_("The days must grow: each later than the one before."))
        if len(days) > 10:
            raise forms.ValidationError(_("At most 10 repetition steps."))
        return days


class ProgrammeForm(PeriodFormMixin, forms.ModelForm):
    repetition_offsets = DayOffsetsField(
        label=_("Repetition reminders, days after each session"),
        required=False,
        # A new programme starts with the default steps; a saved one shows its own.
        initial=list(DEFAULT_REPETITION_OFFSETS),
        help_text=_(
            "E.g. 1, 3, 7, 14, 30. Leave empty for no repetition reminders. "
            "A change applies to sessions held after it."
        ),
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "description",
            "coaches",
            "repetition_offsets",
            "inactivity_nudge",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "coaches": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coaches"].queryset = _coach_choices()
        self.helper = submit_helper(_("Save"))


class CohortForm(PeriodFormMixin, forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["programme", "name", "starts_on", "ends_on", "coaches"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "coaches": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["coaches"].queryset = _coach_choices()
        if self.instance.pk:
            # Memberships carry the programme; a cohort does not change programme.
            self.fields["programme"].disabled = True
        self.helper = submit_helper(_("Save"))


class MemberAddForm(forms.Form):
    """Who can be added: every active manager not already in the group. With more than
    LISTED of them (a large municipality) the list shows only the matches of a search."""

    LISTED = 200
    MATCHES = 50

    user = forms.ModelChoiceField(label=_("Manager"), queryset=User.objects.none())
    joined_on = forms.DateField(label=_("Joined"), widget=DateInput(), initial=timezone.localdate)
    move = forms.BooleanField(
        label=_("Move from their current group"),
        required=False,
        help_text=_("A manager is in one training group per programme at a time."),
    )

    def __init__(self, *args, cohort: Cohort, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = (
            User.objects.filter(is_active=True, groups__name=Role.CHEF)
            .exclude(pk__in=cohort.memberships.filter(left_on__isnull=True).values("user"))
            .select_related("department__parent")
            .order_by("full_name", "pk")
        )
        # Validation looks up one posted id among all candidates; the list is limited below.
        self.fields["user"].queryset = self.candidates
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.full_name} ({user.department})" if user.department else user.full_name
        )
        self.search = search.strip()[:100]
        self.needs_search = False
        if not self.is_bound:
            self.limit_choices()
        self.helper = submit_helper(_("Add to the group"))

    def limit_choices(self) -> None:
        """What the list shows: everyone when there are few; otherwise the matches of the
        search (at most MATCHES), or, after a refused post, the person posted."""
        # Unordered: the database stops at LISTED + 1 instead of sorting every manager.
        probe = self.candidates.order_by().values_list("pk", flat=True)[: self.LISTED + 1]
        many = len(probe) > self.LISTED
        if not many:
            return
        self.needs_search = True
        if self.search:
            words = self.search
            matches = self.candidates.filter(
                models.Q(full_name__icontains=words) | models.Q(email__icontains=words)
            )
            shown = matches.values_list("pk", flat=True)[: self.MATCHES]
        else:
            posted = self.data.get("user", "") if self.is_bound else ""
            if not str(posted).isdigit():
                self.fields["user"].queryset = self.candidates.none()
                return
            shown = self.candidates.filter(pk=posted).values_list("pk", flat=True)
        self.fields["user"].queryset = self.candidates.filter(pk__in=list(shown))

    @property
    def has_choices(self) -> bool:
        return self.fields["user"].queryset.exists()


class NetworkRoundForm(forms.Form):
    name = forms.CharField(label=_("Name of the round"), max_length=200)
    cohorts = forms.ModelMultipleChoiceField(
        label=_("Training groups to mix"),
        queryset=Cohort.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohorts"].queryset = cohorts
        self.helper = submit_helper(_("Generate network groups"))


class MoveMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    group = forms.ModelChoiceField(label=_("To group"), queryset=None)

    def __init__(self, *args, network_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            network_groups__round=network_round
        ).order_by("full_name")
        self.fields["group"].queryset = network_round.groups.all()
        self.fields["group"].label_from_instance = lambda group: (
            _("Group %(number)s") % {"number": group.number}
        )
        self.helper = submit_helper(_("Move"))


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["theme", "title", "theory", "practice", "order"]
        widgets = {
            "theory": forms.Textarea(attrs={"rows": 8}),
            "practice": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"))


class ModuleLinkForm(forms.ModelForm):
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https")

    class Meta:
        model = ModuleLink
        fields = ["title", "url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].help_text = _("A web address starting with https://")
        self.helper = submit_helper(_("Add the link"))

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Only web addresses (https://…) can be linked."))
        return url


class ModuleAttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, PowerPoint or an image (PNG, JPEG), at most 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.doc,.docx,.ppt,.pptx,.png,.jpg,.jpeg"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Upload the file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.cleaned_data["content_type"] = validate_material_file(upload)
        return upload
