"""Form pieces every app uses: native date and time inputs, the crispy submit helper and a
second, outlined submit button."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.text import slugify


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class SecondarySubmit(Submit):
    """A submit button beside the main one, outlined. (Submit's css_class only adds classes to
    its "btn btn-primary": with btn-outline-primary that is blue text on a blue fill.)"""

    field_classes = "btn btn-outline-primary"


def submit_helper(label: str) -> FormHelper:
    """A crispy helper that renders no <form> tag (the template has it) and one submit button,
    whose id comes from its label: two forms on one page get two ids."""
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("submit", label, css_id=f"submit-{slugify(str(label))}"))
    return helper
