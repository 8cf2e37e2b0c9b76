"""The form renderer writes the commonest widgets in Python: exactly what Django's templates
give, for every kind of value, attribute and choice the portal's forms use and more."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from kungsor_ledarskap.form_renderer import FormRenderer
from shared.forms import DateInput, TimeInput

ATTRS = [
    None,
    {"id": "id_x", "class": "form-control"},
    {"id": "id_x", "required": True, "disabled": False, "maxlength": 200, "data-x": 'a"<b>&'},
    {"aria-describedby": mark_safe("id_x_helptext"), "placeholder": gettext_lazy("Title")},
]
VALUES = [None, "", "ledarskap", 'Citat "här" & <b>där</b>', mark_safe("<i>säker</i>"), 0, 17]
CHOICES = [
    ("", "---------"),
    (1, "Första träffen"),
    (2, 'Leda "andra" & <mig>'),
    ("tre", mark_safe("<b>tre</b>")),
    (4, gettext_lazy("Theme")),
]
GROUPED = [
    ("", "–"),
    ("Hösten", [(1, "Ett"), (2, "Två")]),
    (gettext_lazy("Theme"), [("a", "A & B")]),
    (3, "Tre"),
]


def _widgets():
    yield forms.TextInput(), VALUES
    yield forms.NumberInput(attrs={"min": 1}), [None, 3, "4"]
    yield forms.EmailInput(), VALUES
    yield forms.URLInput(), VALUES
    yield forms.HiddenInput(), VALUES
    yield forms.PasswordInput(render_value=True), VALUES
    yield forms.SearchInput(), VALUES
    yield forms.CheckboxInput(), [None, True, False, "", "on"]
    yield DateInput(), [None, "", datetime.date(2026, 11, 27), "2026-11-27"]
    yield TimeInput(), [None, datetime.time(9, 5)]
    yield forms.DateInput(), [datetime.date(2026, 1, 2)]
    yield forms.Textarea(attrs={"rows": 4}), [*VALUES, "rad ett\nrad två\n"]
    yield forms.Select(choices=CHOICES), [None, "", 1, "2", "tre", 4, 99]
    yield forms.Select(choices=GROUPED), [None, 1, "a", 3]
    yield forms.SelectMultiple(choices=CHOICES), [None, [], [1, "tre"], ["2", 4]]
    yield forms.NullBooleanSelect(), [None, True, False, "unknown"]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_widgets_are_written_exactly_as_djangos_templates_write_them(language):
    ours, djangos = FormRenderer(), DjangoTemplates()
    with translation.override(language):
        for widget, values in _widgets():
            for value in values:
                for attrs in ATTRS:
                    expected = widget.render("falt", value, attrs, renderer=djangos)
                    written = widget.render("falt", value, attrs, renderer=ours)
                    assert written == expected, (widget, value, attrs)


@pytest.mark.django_db
def test_a_model_choice_field_and_a_whole_crispy_form_are_the_same(manager):
    from django.template import engines

    from reflections.forms import EntryForm, JournalSearchForm

    template = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form %}")
    for make in (
        lambda renderer: EntryForm(user=manager, renderer=renderer),
        lambda renderer: EntryForm(
            {"title": "<x>", "rate_modigt": "2"}, user=manager, renderer=renderer
        ),
        lambda renderer: JournalSearchForm({"q": "ledarskap"}, user=manager, renderer=renderer),
    ):
        ours = template.render({"form": make(FormRenderer())})
        djangos = template.render({"form": make(DjangoTemplates())})
        assert ours == djangos


def test_another_option_template_is_left_to_the_engine():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/attrs.html"

    widget = Fancy(choices=CHOICES)
    assert widget.render("f", 1, renderer=FormRenderer()) == widget.render(
        "f", 1, renderer=DjangoTemplates()
    )
