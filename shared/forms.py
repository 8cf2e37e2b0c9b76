"""Form pieces every app uses: native date and time inputs and the crispy submit helper."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def submit_helper(label: str) -> FormHelper:
    """A crispy helper that renders no <form> tag (the template has it) and one submit button."""
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("submit", label))
    return helper
