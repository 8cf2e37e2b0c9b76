from dataclasses import dataclass
from datetime import date

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Department
from programme.models import Cohort, Programme, Theme
from shared.forms import DateInput, submit_helper

MAX_PERIOD_DAYS = 366 * 10


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, whole months: from the first of the month a year ago."""
    today = today or timezone.localdate()
    month = today.year * 12 + today.month - 1 - 11
    return date(month // 12, month % 12 + 1, 1), today


@dataclass(frozen=True)
class Filters:
    since: date
    until: date
    forvaltning: Department | None = None
    enhet: Department | None = None
    programme: Programme | None = None
    cohort: Cohort | None = None
    theme: Theme | None = None

    @property
    def narrows_population(self) -> bool:
        """A programme or training group picks people across departments: figures about
        reflections are then not shown (see reports.disclosure)."""
        return self.programme is not None or self.cohort is not None

    def describe(self) -> list[tuple[str, str]]:
        """The filters in words, for the top of every export."""
        period = (
            f"{formats.date_format(self.since, 'Y-m-d')} – "
            f"{formats.date_format(self.until, 'Y-m-d')}"
        )
        rows = [(str(_("Period")), period)]
        for label, value in (
            (pgettext_lazy("department", "Administration"), self.forvaltning),
            (_("Unit"), self.enhet),
            (_("Programme"), self.programme),
            (_("Training group"), self.cohort),
            (_("Theme"), self.theme),
        ):
            rows.append((str(label), value.name if value else str(_("All"))))
        return rows

    def for_log(self) -> dict:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            **{
                name: getattr(self, name).pk
                for name in ("forvaltning", "enhet", "programme", "cohort", "theme")
                if getattr(self, name) is not None
            },
        }


class ReportFilterForm(forms.Form):
    # Above this many units or training groups, the list holds those of the chosen
    # administration or programme (and the one chosen), not the whole country's.
    LISTED = 300

    since = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    until = forms.DateField(label=_("Until"), widget=DateInput(), required=False)
    forvaltning = forms.ModelChoiceField(
        label=pgettext_lazy("department", "Administration"),
        queryset=Department.objects.filter(kind=Department.Kind.FORVALTNING).order_by("name"),
        required=False,
        empty_label=_("All"),
    )
    enhet = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Department.objects.filter(kind=Department.Kind.ENHET)
        .select_related("parent")
        .order_by("parent__name", "name"),
        required=False,
        empty_label=_("All"),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.all(), required=False, empty_label=_("All")
    )
    cohort = forms.ModelChoiceField(
        label=_("Training group"),
        queryset=Cohort.objects.select_related("programme").order_by("programme__name", "name"),
        required=False,
        empty_label=_("All"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.field_class = ""
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *(Div(name, css_class="col-sm-6 col-lg-3") for name in self.fields),
            # A <button> without a name: the filters' address carries no "show" parameter.
            Div(
                StrictButton(_("Show"), type="submit", css_class="btn-primary mb-3"),
                css_class="col-sm-6 col-lg-3",
            ),
        )
        self.fields["cohort"].label_from_instance = lambda c: f"{c.programme.name}: {c.name}"
        self.fields["enhet"].label_from_instance = lambda d: str(d)
        self._narrow(
            "enhet",
            "forvaltning",
            "parent",
            _("Choose an administration and show the figures: its units are then listed here."),
        )
        self._narrow(
            "cohort",
            "programme",
            "programme",
            _("Choose a programme and show the figures: its training groups are then listed here."),
        )

    def _pk(self, name: str) -> int | None:
        value = self.data.get(name) if self.is_bound else None
        return int(value) if isinstance(value, str) and value.isdigit() else None

    def _narrow(self, name: str, above: str, relation: str, help_text: str) -> None:
        """List only the choices under the one chosen `above` when there are very many (any
        choice is still accepted, as before)."""
        field = self.fields[name]
        if field.queryset.count() <= self.LISTED:
            return
        listed = field.queryset.filter(
            Q(**{f"{relation}_id": self._pk(above)}) | Q(pk=self._pk(name))
        )
        field.widget.choices = [("", field.empty_label)] + [
            (choice.pk, field.label_from_instance(choice)) for choice in listed
        ]
        field.help_text = help_text

    def clean(self):
        cleaned = super().clean()
        default_since, default_until = default_period()
        since = cleaned.get("since") or default_since
        until = cleaned.get("until") or default_until
        if "since" in self.errors or "until" in self.errors:
            return cleaned
        if until < since:
            self.add_error("until", _("The end date must be on or after the start date."))
        elif (until - since).days > MAX_PERIOD_DAYS:
            self.add_error("until", _("A period can be at most ten years long."))
        forvaltning, enhet = cleaned.get("forvaltning"), cleaned.get("enhet")
        if forvaltning and enhet and enhet.parent_id != forvaltning.pk:
            self.add_error("enhet", _("The unit is not part of the chosen administration."))
        programme, cohort = cleaned.get("programme"), cleaned.get("cohort")
        if programme and cohort and cohort.programme_id != programme.pk:
            self.add_error("cohort", _("The training group is not part of the chosen programme."))
        cleaned["since"], cleaned["until"] = since, until
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            since=data["since"],
            until=data["until"],
            forvaltning=data.get("forvaltning"),
            enhet=data.get("enhet"),
            programme=data.get("programme"),
            cohort=data.get("cohort"),
            theme=data.get("theme"),
        )


class SickLeaveUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Sick-leave figures (CSV or XLSX)"),
        help_text=_(
            "One row per department and month. Columns: Förvaltning, Enhet (empty for the "
            "whole administration), Månad, Antal anställda, Schemalagda timmar, and "
            "Sjukfrånvaro (timmar) or Sjukfrånvaro (%)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Show preview"))


class EffektFilterForm(forms.Form):
    """The Effekt view's choices: per month or per term, the years, one administration, and
    a programme whose members' ledord are shown beside."""

    MAX_YEARS = 10

    period = forms.ChoiceField(
        label=_("Figures per"),
        choices=[("month", _("Month")), ("term", _("Term"))],
        required=False,
    )
    first_year = forms.IntegerField(label=_("From year"), required=False)
    last_year = forms.IntegerField(label=_("Until year"), required=False)
    forvaltning = forms.ModelChoiceField(
        label=pgettext_lazy("department", "Administration"),
        queryset=Department.objects.filter(kind=Department.Kind.FORVALTNING).order_by("name"),
        required=False,
        empty_label=_("The whole municipality"),
    )
    programme = forms.ModelChoiceField(
        label=_("Ledord in a programme"),
        queryset=Programme.objects.order_by("-starts_on", "name"),
        required=False,
        empty_label=_("No programme"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.field_class = ""
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div("period", css_class="col-sm-4 col-lg-2"),
            Div("first_year", css_class="col-6 col-sm-4 col-lg-2"),
            Div("last_year", css_class="col-6 col-sm-4 col-lg-2"),
            Div("forvaltning", css_class="col-sm-6 col-lg-3"),
            Div("programme", css_class="col-sm-6 col-lg-3"),
            Div(
                StrictButton(_("Show"), type="submit", css_class="btn-primary mb-3"),
                css_class="col-12",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        this_year = timezone.localdate().year
        cleaned["period"] = cleaned.get("period") or "month"
        if "first_year" in self.errors or "last_year" in self.errors:
            return cleaned
        last = cleaned.get("last_year") or this_year
        first = cleaned.get("first_year") or min(last, this_year) - 1
        for name, year in (("first_year", first), ("last_year", last)):
            if not 2000 <= year <= this_year:
                self.add_error(
                    name,
                    _("Choose a year from 2000 to %(year)s.") % {"year": this_year},
                )
                return cleaned
        if last < first:
            self.add_error("last_year", _("The last year must be the first year or later."))
        elif last - first >= self.MAX_YEARS:
            self.add_error("last_year", _("Choose at most ten years."))
        cleaned["first_year"], cleaned["last_year"] = first, last
        return cleaned

    def filters(self):
        from reports.effekt import EffektFilters

        data = self.cleaned_data
        return EffektFilters(
            period=data["period"],
            first_year=data["first_year"],
            last_year=data["last_year"],
            forvaltning=data.get("forvaltning"),
            programme=data.get("programme"),
        )
