"""Our select widget (options written inline, templates/django/forms/widgets/select.html) gives
exactly the markup of Django's own Jinja2 widget templates."""

from django import forms
from django.forms.renderers import Jinja2


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
