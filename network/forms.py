from django import forms
from django.utils.translation import gettext_lazy as _

from network import services
from network.models import BODY_MAX, TITLE_MAX
from shared.forms import submit_helper

FORMATTING_HELP = _("You can use **bold**, *italics*, lists and links.")


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Your question or challenge"),
        required=False,
        help_text=_("For example: “How have you handled …?”"),
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}),
    )
    body = forms.CharField(
        label=_("More about it (optional)"),
        required=False,
        help_text=FORMATTING_HELP,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": BODY_MAX}),
    )
    includes_coach = forms.BooleanField(
        label=_("Let the leadership coach read and answer too"),
        required=False,
        help_text=_("Otherwise only the members of the group see the question."),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(submit_label or _("Post the question"))

    def clean_title(self):
        return services.check_title(self.cleaned_data["title"])

    def clean_body(self):
        return services.check_body(self.cleaned_data["body"], required=False)


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        required=False,
        help_text=FORMATTING_HELP,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": BODY_MAX}),
    )

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(submit_label or _("Post the answer"))

    def clean_body(self):
        return services.check_body(self.cleaned_data["body"], required=True)
