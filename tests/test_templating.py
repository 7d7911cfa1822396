"""The Jinja2 environment (helpdesk/templating.py) keeps what Django's templates did: times in
the reader's zone, links as reverse() writes them, widgets' markup; and it refuses a printed
callable instead of printing a method's repr."""

import datetime

import pytest
from django import forms
from django.forms.renderers import Jinja2
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from helpdesk.templating import url


def render(source: str, **context) -> str:
    return _jinja().from_string(source).render(context)


def _jinja():
    return next(e for e in engines.all() if e.__class__.__name__ == "Jinja2")


class Choosing(forms.Form):
    one = forms.ChoiceField(
        choices=[("1", "One <b>"), ("2", 'Two "2"'), ("Group", [("3", "Three"), ("4", "Four")])],
        initial="3",
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")], initial=["x"])
    maybe = forms.NullBooleanField()


def test_select_markup_is_djangos():
    ours = Choosing()
    django_own = Choosing(renderer=Jinja2())
    for name in ("one", "many", "maybe"):
        assert str(ours[name]) == str(django_own[name]), name
    assert '<option value="3" selected>Three</option>' in str(ours["one"])
    assert "One &lt;b&gt;" in str(ours["one"])


def test_dates_are_shown_in_the_active_time_zone():
    noon_utc = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC)
    with timezone.override("Asia/Jerusalem"), translation.override("en"):
        assert render('{{ when|date("H:i") }}', when=noon_utc) == "14:00"
    with timezone.override("America/New_York"), translation.override("en"):
        assert render('{{ when|date("H:i") }}', when=noon_utc) == "07:00"
        assert render('{{ when|time("H:i") }}', when=noon_utc) == "07:00"


@pytest.mark.parametrize(
    "name, args",
    [
        ("tickets:ticket", ("acme", 12)),
        ("tickets:ticket", ("acme-co", 7)),
        ("tickets:rate_by_link", ("acme", 5, "tok_en-1")),
        ("accounts:person", ("acme", 3)),
        ("home", ()),
    ],
)
def test_links_are_what_reverse_writes(name, args):
    assert url(name, *args) == reverse(name, args=args or None)
    assert url(name, *args) == url(name, *args)  # and again, from the kept shape


def test_a_value_reverse_would_quote_or_refuse_goes_through_reverse():
    assert url("tickets:rate_by_link", "acme", 5, "é") == reverse(
        "tickets:rate_by_link", args=("acme", 5, "é")
    )


def test_a_printed_callable_is_refused_and_a_missing_name_is_empty():
    with pytest.raises(TypeError):
        render("{{ form.non_field_errors }}", form=forms.Form())
    assert render("[{{ nothing.at.all() }}]") == "[]"
    assert render("{{ form.non_field_errors() }}", form=forms.Form()) == ""


class Helped(forms.Form):
    secret = forms.CharField(help_text="<ul><li>At least 8 characters.</li></ul>")


def test_a_fields_help_is_its_markup_and_is_named_by_the_widget():
    html = render(
        '{% from "_field.html" import field_block %}{{ field_block(form["secret"]) }}',
        form=Helped(),
    )
    assert 'aria-describedby="id_secret_helptext"' in html
    assert '<div class="help" id="id_secret_helptext"><ul><li>At least 8' in html


@pytest.mark.parametrize(
    "source",
    [
        "{{ row.number }}|{{ row.missing }}|{{ row.missing.deeper }}",
        "{{ row.items()|list|length }}|{{ row.get('number') }}|{{ row['items'] }}",
        "{% for k, v in row.items() %}{{ k }}={{ v }};{% endfor %}",
        "{{ row.keys is defined }}|{{ row.nope is defined }}|{{ other.real }}",
    ],
)
def test_a_dicts_keys_and_attributes_read_as_in_jinja2(source):
    """The dict shortcut (HelpdeskEnvironment.getattr) finds what Jinja2's own lookup finds,
    a key named like a dict method included."""
    from jinja2 import Environment

    from helpdesk.templating import Undefined

    class Real:
        real = "attribute"

    context = {"row": {"number": 7, "items": "a key", "get": "too"}, "other": Real()}
    plain = Environment(undefined=Undefined).from_string(source).render(context)  # noqa: S701
    assert render(source, **context) == plain


@pytest.mark.parametrize(
    "source",
    [
        '{{ _("Workspace") }}|{{ gettext("Macros") }}',
        '{{ _("Select ticket %(n)s", n="<b>") }}|{{ _("100%% sure") }}',
        "{% trans n=3 %}Select ticket {{ n }}{% endtrans %}",
        '{% trans %}Workspace{% endtrans %}|{{ ngettext("%(num)s ticket", "%(num)s tickets", 2) }}',
    ],
)
@pytest.mark.parametrize("language", ["en", "he"])
def test_templates_translate_as_jinja2s_own_newstyle_gettext(source, language):
    """The kept catalogue and the direct gettext (helpdesk/templating.py) write what Jinja2's
    own newstyle callables over Django's gettext write, escaping included."""
    from jinja2 import Environment

    plain = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)  # noqa: S701
    plain.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    with translation.override(language):
        assert render(source) == plain.from_string(source).render()
