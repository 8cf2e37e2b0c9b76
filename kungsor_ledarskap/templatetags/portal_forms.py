"""Filters for templates/_partials/_form.html, the lean form template the busiest forms'
crispy helpers name (see kungsor_ledarskap.forms.lean)."""

from crispy_forms.templatetags.crispy_forms_filters import optgroups
from django import forms, template
from django.templatetags.l10n import unlocalize
from django.utils.safestring import mark_safe

from kungsor_ledarskap.form_renderer import attrs_html, escape_html

register = template.Library()


@register.filter
def field_kind(field) -> str:
    """How the template lays the field out: hidden, choices (radio buttons or check boxes,
    in a fieldset), checkbox, select or input (text, date, text area and the like)."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple is one too
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


@register.filter
def choice_inputs(field, show_errors=True) -> str:
    """The radio buttons or check boxes of a field, each in a div.form-check with its label,
    as crispy-bootstrap5's radio_checkbox_select.html writes them (the field's errors after
    the last one), in one filter instead of a dozen template expressions per option."""
    invalid = " is-invalid" if field.errors else ""
    name = escape_html(field.html_name)
    groups = optgroups(field)
    parts = []
    for group_number, (group, options, _index) in enumerate(groups, 1):
        if group:
            parts.append(f"<strong>{escape_html(group)}</strong>")
        for option_number, option in enumerate(options, 1):
            attrs = dict(option["attrs"])
            own_class = attrs.pop("class", "")
            last = group_number == len(groups) and option_number == len(options)
            errors = _errors_block(field) if show_errors and field.errors and last else ""
            parts.append(
                f'\n<div class="form-check"><input type="{escape_html(option["type"])}" '
                f'class="form-check-input{" " + escape_html(own_class) if own_class else ""}'
                f'{invalid}" name="{name}" value="{escape_html(unlocalize(option["value"]))}"'
                f'{attrs_html(attrs)}> <label for="{escape_html(option["attrs"].get("id", ""))}"'
                f' class="form-check-label">{escape_html(unlocalize(option["label"]))}</label>'
                f"{errors}</div>"
            )
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 (every part escaped above)


def _errors_block(field) -> str:
    """crispy-bootstrap5's field_errors_block.html"""
    field_id = escape_html(field.auto_id)
    errors = "".join(
        f'<p id="error_{number}_{field_id}"><strong>{escape_html(error)}</strong></p>'
        for number, error in enumerate(field.errors, 1)
    )
    errors_id = escape_html(field.errors.field_id)
    return f'<div id="{errors_id}_error" class="invalid-feedback">{errors}</div>'
