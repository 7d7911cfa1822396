from django import forms

from .models import Channel, Kind


class PreferencesForm(forms.Form):
    """One choice per kind: e-mail, in the app, or both."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Channel.choices, widget=forms.RadioSelect
            )
