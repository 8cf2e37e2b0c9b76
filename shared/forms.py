"""Form pieces every app uses: native date and time inputs, choices from the database in
one query, and the crispy submit helper."""

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


class OneQueryChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices read with one ordinary query. Django's iterator() opens a server-side
    cursor on PostgreSQL (declare, fetch, close: several round trips) for what is a short
    list here; this reads the field's own queryset (a copy made for each form) once."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    iterator = OneQueryChoiceIterator


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = OneQueryChoiceIterator


def submit_helper(label: str) -> FormHelper:
    """A crispy helper that renders no <form> tag (the template has it) and one submit button."""
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("submit", label))
    return helper


LEAN_FORM_TEMPLATE = "_partials/_form.html"


def lean(helper: FormHelper) -> FormHelper:
    """The helper, rendering its form through templates/_partials/_form.html: the markup of
    crispy-bootstrap5 for fields without a layout, at a fraction of the cost (crispy's own
    templates take a dozen includes per field). For the forms of the busiest pages; the
    page's template has the <form> tag and {% csrf_token %}."""
    helper.template = LEAN_FORM_TEMPLATE
    return helper
