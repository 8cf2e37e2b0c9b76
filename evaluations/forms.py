from django import forms
from django.utils.translation import gettext_lazy as _

from shared.forms import submit_helper

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
