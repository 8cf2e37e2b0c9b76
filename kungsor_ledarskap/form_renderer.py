"""The form renderer (settings.FORM_RENDERER): Django's, with the commonest widget templates
rendered in Python.

Django renders every widget through its template engine, and a <select> includes one
template per <option> and another for each option's attributes: a list of 35 sessions took
about 2 ms, and a journal form has several. Here the templates below are written out by
functions that give exactly the templates' output (the same escaping, the same white space;
tests/test_form_renderer.py compares them with Django's templates); every other template,
and any select whose options use another template, goes to Django's engine as before.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.utils.safestring import SafeData

SELECT_OPTION = "django/forms/widgets/select_option.html"


class _TemplateContext:
    """What render_value_in_context reads of a template's context (the form renderer's
    templates are rendered with autoescaping, and localization and time zones as set)."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT = _TemplateContext()


def escape_html(value) -> str:
    """conditional_escape(value), without the wrapper that looks for lazy arguments (a good
    part of its cost): a safe string as it is, anything else as a string, escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _var(value) -> str:
    """{{ value }}"""
    if value.__class__ is str:  # the common case: nothing to localize
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


def _stringformat(value) -> str:
    """{{ value|stringformat:'s' }}: the filter keeps a safe value safe."""
    if isinstance(value, tuple):
        value = str(value)
    text = "%s" % value  # noqa: UP031 (exactly the filter's "%" + "s")
    return text if isinstance(value, SafeData) else html.escape(text)


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {_var(name)}" if value is True else f' {_var(name)}="{_stringformat(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html"""
    value = widget["value"]
    shown = "" if value is None else f' value="{_stringformat(value)}"'
    return (
        f'<input type="{_var(widget["type"])}" name="{_var(widget["name"])}"'
        f"{shown}{attrs_html(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html"""
    value = widget["value"]
    return (
        f'<textarea name="{_var(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
        f"{_var(value) if value else ''}</textarea>"
    )


def _select(widget: dict) -> str | None:
    """django/forms/widgets/select.html with select_option.html (which ends in a line
    break); None for another option template, left to the engine."""
    parts = [f'<select name="{_var(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_var(group_name)}">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION:
                return None
            parts.append(
                f'\n  <option value="{_stringformat(option["value"])}"'
                f"{attrs_html(option['attrs'])}>{_var(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_INPUTS = [
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
]
WRITERS = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
    "django/forms/widgets/input.html": _input,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        if writer is not None and "widget" in context:
            html = writer(context["widget"])
            if html is not None:
                return html.strip()
        return super().render(template_name, context, request=request)
