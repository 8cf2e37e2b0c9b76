from django import forms
from django.utils.translation import gettext_lazy as _

from shared.forms import DateInput, submit_helper

USEFULNESS_CHOICES = [
    (1, _("1 – not useful")),
    (2, _("2 – a little useful")),
    (3, _("3 – fairly useful")),
    (4, _("4 – useful")),
    (5, _("5 – very useful")),
]


class AnswerForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful was the session for you?"),
        choices=USEFULNESS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how useful the session was, from 1 to 5.")},
    )
    will_try = forms.CharField(
        label=_("What will you try after the session? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    question_answer = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        if question is None:
            del self.fields["question_answer"]
        else:
            self.fields["question_answer"].label = _("%(question)s (optional)") % {
                "question": question.text
            }
        self.helper = submit_helper(_("Save my evaluation"))


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your own question in the evaluation (optional)"),
        max_length=300,
        required=False,
        help_text=_(
            "Asked after “how useful” and “what will you try”. It can be changed until the "
            "first answer comes in. Leave it empty for no question of your own."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save the question"))


# Benefit surveys and theme questions -------------------------------------------------------


RATING_CHOICES = [
    (1, _("1 – do not agree at all")),
    (2, _("2")),
    (3, _("3")),
    (4, _("4")),
    (5, _("5 – agree completely")),
]


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    programme = forms.ModelChoiceField(
        label=_("For whom"),
        queryset=None,
        required=False,
        empty_label=_("Every manager in the municipality"),
    )
    opens_on = forms.DateField(label=_("Opens"), widget=DateInput())
    closes_on = forms.DateField(
        label=_("Closes"),
        widget=DateInput(),
        help_text=_("The last day to answer. Results are shown when the survey has closed."),
    )
    statements = forms.CharField(
        label=_("Statements rated 1–5, one per line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("They cannot be changed once someone has answered."),
    )
    open_question = forms.CharField(
        label=_("Open question (optional)"), max_length=300, required=False
    )

    def __init__(self, *args, programmes=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["programme"]
        else:
            self.fields["programme"].queryset = programmes
        self.helper = submit_helper(_("Save the survey"))

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The survey cannot close before it opens."))
        return cleaned

    def statement_list(self) -> list[str]:
        return self.cleaned_data["statements"].splitlines()


class SurveyAnswerForm(forms.Form):
    text = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, statements=(), open_question="", **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        rating_fields = {}
        for statement in self.statements:
            rating_fields[f"statement_{statement.pk}"] = forms.TypedChoiceField(
                label=statement.text,
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Rate the statement from 1 to 5.")},
            )
        text_field = self.fields.pop("text")
        self.fields.update(rating_fields)
        if open_question:
            text_field.label = _("%(question)s (optional)") % {"question": open_question}
            self.fields["text"] = text_field
        self.helper = submit_helper(_("Save my answer"))

    def ratings(self) -> dict[int, int]:
        return {s.pk: self.cleaned_data[f"statement_{s.pk}"] for s in self.statements}


class ThemeQuestionForm(forms.Form):
    programme = forms.IntegerField(widget=forms.HiddenInput)
    theme = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(max_length=300, required=False)
