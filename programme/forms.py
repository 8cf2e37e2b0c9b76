import contextlib
import re
from itertools import pairwise

from django import forms
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User
from accounts.roles import Role
from programme import members, suggestion_services
from programme.files import validate_material_file
from programme.models import (
    DEFAULT_REPETITION_OFFSETS,
    SUGGESTION_MAX,
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


class MembersAddForm(forms.Form):
    """Many managers at once: ticked among the search's matches, pasted email addresses and
    all managers of a unit, together. Unknown addresses or people who are not managers are
    named, and then nobody is added."""

    users = forms.ModelMultipleChoiceField(
        label=_("Managers found"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("One of the people ticked is no longer a manager. Search again."),
            "invalid_pk_value": _("One of the people ticked is no longer a manager. Search again."),
        },
    )
    emails = forms.CharField(
        label=_("Email addresses"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Paste them one per line, or separated by commas or semicolons (as from Outlook)."
        ),
    )
    department = forms.ModelChoiceField(
        label=_("Unit or administration"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("(no unit)"),
    )
    joined_on = forms.DateField(label=_("Joined"), widget=DateInput(), initial=timezone.localdate)
    move = forms.BooleanField(
        label=_("Move from their current group"),
        required=False,
        help_text=_("A manager is in one training group per programme at a time."),
    )

    def __init__(self, *args, shown=(), departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = members.managers()
        self.fields["department"].queryset = (
            departments if departments is not None else Department.objects.none()
        )
        self.fields["department"].label_from_instance = lambda department: (
            str(department)
            if department.parent_id
            else _("%(name)s, the whole administration") % {"name": department.name}
        )
        self.show(shown)

    @staticmethod
    def label(user) -> str:
        parts = [user.full_name, user.email]
        if user.department_id:
            parts.append(str(user.department))
        text = ", ".join(parts)
        current = getattr(user, "current_cohort", None)
        if current:
            text += " " + _("(now in %(cohort)s)") % {"cohort": current}
        return text

    def show(self, shown) -> None:
        """The people to offer as checkboxes (the search's page), and any ticked before."""
        shown = list(shown)
        if self.is_bound:
            ticked = set()
            for value in self.data.getlist("users"):
                # Not a number: the field's own validation says what is wrong.
                with contextlib.suppress(TypeError, ValueError):
                    ticked.add(int(value))
            missing = {pk for pk in ticked if 0 < pk < 2**31} - {user.pk for user in shown}
            if missing:
                shown += list(
                    members.managers().select_related("department__parent").filter(pk__in=missing)
                )
        self.fields["users"].widget.choices = [(user.pk, self.label(user)) for user in shown]

    def clean_emails(self) -> dict:
        """The pasted addresses, each found or said why not."""
        text = self.cleaned_data["emails"]
        addresses = []
        for part in re.split(r"[\n\r,;]+", text):
            part = part.strip()
            if "<" in part and part.endswith(">"):  # "Anna Andersson <anna@kungsor.se>"
                part = part[part.rindex("<") + 1 : -1].strip()
            if part and part.lower() not in addresses:
                addresses.append(part.lower())
        found = {
            user.email_lower: user
            for user in User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=addresses)
            .select_related("department__parent")
        }
        eligible = set(
            members.managers()
            .filter(pk__in=[u.pk for u in found.values()])
            .values_list("pk", flat=True)
        )
        problems = {"unknown": [], "not_manager": []}
        people = []
        for address in addresses:
            user = found.get(address)
            if user is None:
                problems["unknown"].append(address)
            elif user.pk not in eligible:
                problems["not_manager"].append(address)
            else:
                people.append(user)
        messages = []
        if problems["unknown"]:
            messages.append(
                _("No one in the portal has these addresses: %(addresses)s.")
                % {"addresses": ", ".join(problems["unknown"])}
            )
        if problems["not_manager"]:
            messages.append(
                _("These are not managers (or their accounts are closed): %(addresses)s.")
                % {"addresses": ", ".join(problems["not_manager"])}
            )
        if messages:
            messages.append(_("Nobody was added. Correct the list and try again."))
            raise forms.ValidationError(messages)
        return {"people": people, "count": len(addresses)}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        people = {user.pk: user for user in cleaned.get("users") or []}
        people |= {user.pk: user for user in cleaned["emails"]["people"]}
        department = cleaned.get("department")
        if department is not None:
            people |= {
                user.pk: user
                for user in members.department_managers(department).select_related(
                    "department__parent"
                )
            }
        if not people:
            raise forms.ValidationError(
                _(
                    "Choose at least one manager: tick them in the search, paste their email "
                    "addresses or choose a unit."
                )
            )
        cleaned["people"] = list(people.values())
        return cleaned


class SuggestionForm(forms.Form):
    """A manager's suggestion or comment on one theme, focus area or ledord."""

    programme = forms.ModelChoiceField(
        label=_("To the coaches of"), queryset=None, empty_label=None, required=True
    )
    text = forms.CharField(
        label=_("Your suggestion or comment"),
        required=False,
        help_text=_(
            "Signed with your name: the programme's leadership coaches read it and answer. If "
            "they publish the answer for everyone in the programme, your text is shown with it, "
            "without your name. You can use **bold**, *italics*, lists and links."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": SUGGESTION_MAX}),
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        # `programmes`: the manager's programmes now (a queryset; usually one).
        self.fields["programme"].queryset = programmes
        only = list(programmes[:2])
        if len(only) == 1:
            self.fields["programme"].widget = forms.HiddenInput()
            self.fields["programme"].initial = only[0].pk
        self.helper = submit_helper(_("Send to the coach"))

    def clean_text(self):
        return suggestion_services.check_suggestion(self.cleaned_data["text"])


class SuggestionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        required=False,
        help_text=_("You can use **bold**, *italics*, lists and links."),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": SUGGESTION_MAX}),
    )
    publish = forms.BooleanField(
        label=_("Publish the suggestion and the answer for everyone in the programme"),
        required=False,
        help_text=_(
            "They are shown on the programme page without the manager's name, with yours. "
            "Otherwise only the manager reads your answer."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save the answer"))

    def clean_answer(self):
        return suggestion_services.check_answer(self.cleaned_data["answer"])
