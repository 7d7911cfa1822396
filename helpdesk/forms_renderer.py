"""Django's form renderer, with its most used widget templates written out in Python.

Django renders a widget through templates: a ``<select>`` includes one template per
``<option>`` and another for each one's attributes, which made the workspace's selects (status,
priority, queue, the assignee lists) most of a page's rendering time. ``FormRenderer`` (the
``FORM_RENDERER``) builds the very HTML of Django's own templates for the plain widgets
(``<select>`` and its options, ``<input>``, ``<textarea>``, radio and checkbox lists) and leaves
every other template to the template engine, as it does any of these that an app overrides.
``tests/test_forms_renderer.py`` compares both outputs widget by widget.
"""

from __future__ import annotations

import html
from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
STOCK = Path(django.forms.__file__).parent / "templates"


def escaped(value) -> str:
    """``conditional_escape``, without its lazy-string and ``__html__`` checks for a plain str
    (Django's ``escape`` is ``html.escape``: the same characters)."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)


def text(value) -> str:
    """``{{ value }}``: localized, then escaped unless it is already safe."""
    return escaped(localize(value))


def formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``."""
    return value if isinstance(value, SafeData) else escaped("%s" % (value,))  # noqa: UP031


def attrs(widget: dict) -> str:
    """``attrs.html``: True gives a bare attribute, False none at all."""
    out = []
    for name, value in widget["attrs"].items():
        if value is True:
            out.append(f" {text(name)}")
        elif value is not False:
            out.append(f' {text(name)}="{formatted(value)}"')
    return "".join(out)


def input_html(widget: dict) -> str:
    """``input.html`` (and each template that only includes it)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{formatted(value)}"'
    return (
        f'<input type="{text(widget["type"])}" name="{text(widget["name"])}"{shown}'
        f"{attrs(widget)}>\n"
    )


def input_option_html(option: dict) -> str:
    """``input_option.html``: the input, in its label unless told not to wrap it."""
    if not option["wrap_label"]:
        return input_html(option) + "\n"
    ident = option["attrs"].get("id")
    label_for = f' for="{text(ident)}"' if ident else ""
    return f"<label{label_for}>{input_html(option)} {text(option['label'])}</label>\n"


def select_option_html(option: dict) -> str:
    return (
        f'<option value="{formatted(option["value"])}"{attrs(option)}>'
        f"{text(option['label'])}</option>\n"
    )


def select_html(widget: dict) -> str:
    out = [f'<select name="{text(widget["name"])}"{attrs(widget)}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f'\n  <optgroup label="{text(group)}">')
        out.extend("\n  " + OPTIONS[option["template_name"]](option) for option in options)
        if group:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def multiple_input_html(widget: dict) -> str:
    ident = widget["attrs"].get("id")
    css = widget["attrs"].get("class")
    out = ["<div"]
    if ident:
        out.append(f' id="{text(ident)}"')
    if css:
        out.append(f' class="{text(css)}"')
    out.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{text(group)}</label>")
        out.extend(
            "<div>\n    " + OPTIONS[option["template_name"]](option) + "</div>"
            for option in options
        )
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n")
    return "".join(out)


def textarea_html(widget: dict) -> str:
    value = widget["value"]
    shown = text(value) if value else ""
    return f'<textarea name="{text(widget["name"])}"{attrs(widget)}>\n{shown}</textarea>\n'


def including(render):
    """A template that is ``{% include "<the rendered one>" %}`` and a newline."""
    return lambda widget: render(widget) + "\n"


# Each template, as what rendering the file gives (an include keeps its trailing newline).
WIDGET_TEMPLATES = {
    "input.html": input_html,
    **{
        name: including(input_html)
        for name in (
            "text.html",
            "number.html",
            "email.html",
            "url.html",
            "password.html",
            "hidden.html",
            "date.html",
            "datetime.html",
            "time.html",
            "search.html",
            "tel.html",
            "color.html",
            "checkbox.html",
        )
    },
    "select.html": select_html,
    "textarea.html": textarea_html,
    "multiple_input.html": multiple_input_html,
    "radio.html": including(multiple_input_html),
    "checkbox_select.html": including(multiple_input_html),
}
OPTION_TEMPLATES = {
    "select_option.html": select_option_html,
    "input_option.html": input_option_html,
    "radio_option.html": including(input_option_html),
    "checkbox_option.html": including(input_option_html),
}
OPTIONS = {WIDGETS + name: render for name, render in OPTION_TEMPLATES.items()}
# What the renderers above include besides the widget's own template.
INCLUDED = {"attrs.html", *OPTION_TEMPLATES}


class FormRenderer(DjangoTemplates):
    """Django's template renderer; the plain widgets' templates are built in Python."""

    def __init__(self):
        self._written = None

    def written(self) -> dict:
        """The Python renderers of the templates that are still Django's own files."""
        if self._written is None:
            stock = {
                name
                for name in {*WIDGET_TEMPLATES, *INCLUDED}
                if Path(self.get_template(WIDGETS + name).template.origin.name).is_relative_to(
                    STOCK
                )
            }
            self._written = {
                WIDGETS + name: render
                for name, render in WIDGET_TEMPLATES.items()
                if name in stock and stock >= INCLUDED
            }
        return self._written

    def render(self, template_name, context, request=None):
        render = self.written().get(template_name)
        widget = context.get("widget")
        if render is not None and len(context) == 1 and widget is not None:
            options = widget.get("optgroups", ())
            if all(o["template_name"] in OPTIONS for _g, group, _i in options for o in group):
                return render(widget).strip()
        return super().render(template_name, context, request=request)
