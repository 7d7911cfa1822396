"""The Python-built widgets give Django's own HTML, byte for byte, for every kind we build."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from helpdesk.forms_renderer import FormRenderer
from tickets.forms import BulkForm, ReplyForm, TicketUpdateForm, WorkspaceFilterForm

CHOICES = [
    ("", "—"),
    ("open", gettext_lazy("Open")),
    ("a&b", 'Quote " and <tag> & amp'),
    (3, 3),
    (Decimal("1.5"), 1234567),
    ("safe", mark_safe("<b>bold</b>")),
]
GROUPED = [
    ("", "None"),
    ("Group <one>", [("x", "X"), ("y", "Y <y>")]),
    ("Group two", [(1, "One"), (2, "Two")]),
]


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="Help", initial='A "quoted" <value>')
    empty = forms.CharField(required=False)
    number = forms.IntegerField(min_value=0, initial=1234567)
    decimal = forms.DecimalField(initial=Decimal("12.50"))
    email = forms.EmailField(required=False)
    url = forms.URLField(assume_scheme="https", initial="https://example.test/?a=1&b=2")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="pw<")
    hidden = forms.CharField(widget=forms.HiddenInput, initial="h&")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    day = forms.DateField(initial=datetime.date(2026, 11, 23))
    when = forms.DateTimeField(initial=datetime.datetime(2026, 11, 23, 10, 5, tzinfo=datetime.UTC))
    time = forms.TimeField(initial=datetime.time(9, 30))
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search", "data-x": True}))
    flag = forms.BooleanField(required=False, initial=True)
    off = forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"off": False}))
    choice = forms.ChoiceField(choices=CHOICES, initial="a&b")
    grouped = forms.ChoiceField(choices=GROUPED, initial=2, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES, initial=["open", 3], required=False)
    nullable = forms.NullBooleanField(required=False)
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, initial="open")
    radio_grouped = forms.ChoiceField(
        choices=GROUPED, widget=forms.RadioSelect(attrs={"class": "c"}), required=False
    )
    boxes = forms.MultipleChoiceField(
        choices=CHOICES, widget=forms.CheckboxSelectMultiple, initial=["", "safe"]
    )
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="a\n<b>&\n")
    blank = forms.CharField(widget=forms.Textarea, required=False)
    model = forms.ModelChoiceField(queryset=Organization.objects.all(), required=False)
    date_parts = forms.DateField(widget=forms.SelectDateWidget, required=False)
    file = forms.FileField(required=False)


class Counting(FormRenderer):
    """Ours, noting the templates it asked the template engine for."""

    def __init__(self):
        super().__init__()
        self.written()
        self.templated = []

    def get_template(self, template_name):
        if self._written is not None:
            self.templated.append(template_name)
        return super().get_template(template_name)


def both(form):
    """Every field of the form, rendered by Django's templates and by ours."""
    django_renderer, ours = DjangoTemplates(), Counting()
    pairs = []
    for field in form:
        pairs.append((field.name, field.as_widget(), None))
        form.renderer = django_renderer
        expected = str(field.as_widget())
        form.renderer = ours
        got = str(field.as_widget())
        pairs[-1] = (field.name, expected, got)
    # The templates written out in Python were not asked for.
    assert ours.written() and not set(ours.templated) & set(ours.written())
    return pairs


def test_it_is_the_renderer_in_use_and_builds_the_plain_widgets():
    assert settings.FORM_RENDERER == "helpdesk.forms_renderer.FormRenderer"
    renderer = get_default_renderer()
    assert isinstance(renderer, FormRenderer)
    assert {"django/forms/widgets/select.html", "django/forms/widgets/text.html"} <= set(
        renderer.written()
    )


@pytest.mark.parametrize("language", ["en", "he"])
@pytest.mark.parametrize("bound", [False, True])
def test_every_widget_renders_as_django_renders_it(db, language, bound):
    data = {
        "text": "<script>",
        "number": "12",
        "choice": "3",
        "several": ["a&b", "1.5"],
        "radio": "safe",
        "boxes": ["open"],
        "body": " spaced \n",
        "grouped": "x",
        "nullable": "true",
        "flag": "on",
        "date_parts_year": "2026",
    }
    with translation.override(language):
        form = Everything(data if bound else None, auto_id="id_%s_x")
        if bound:
            form.is_valid()
        for name, expected, got in both(form):
            assert got == expected, name


def test_widgets_without_ids_and_disabled(db):
    form = Everything(auto_id=False)
    for field in form.fields.values():
        field.disabled = True
    for name, expected, got in both(form):
        assert got == expected, name


def test_the_helpdesk_forms_render_as_before(db, acme, ada, alice, bob, billing):
    staff = [ada.user, alice.user]
    forms_ = [
        WorkspaceFilterForm({"status": ["open"], "priority": "x"}, member=alice, staff=staff),
        WorkspaceFilterForm(member=ada, staff=staff),
        BulkForm(tenant=acme, staff=staff),
        ReplyForm(),
        ReplyForm(staff=False),
        TicketUpdateForm(tenant=acme, initial={"queue": billing.pk, "status": "open"}),
    ]
    for form in forms_:
        for name, expected, got in both(form):
            assert got == expected, name
