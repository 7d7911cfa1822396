"""Forms of the requester's side: filtering "My requests" and adding a colleague."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Ticket

SEARCH_MAX = Ticket._meta.get_field("subject").max_length


class PortalFilterForm(forms.Form):
    """GET parameters of "My requests": words of the subject or a number, and a status."""

    q = forms.CharField(
        label=_("Search your requests"),
        max_length=SEARCH_MAX,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "dir": "auto"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Ticket.Status.choices],
        required=False,
    )

    def filter(self, tickets):
        """The tickets that match what is valid of the filters (a bad one is named on the form)."""
        if not self.is_bound:
            return tickets
        self.is_valid()
        data = self.cleaned_data
        if data.get("status"):
            tickets = tickets.filter(status=data["status"])
        return tickets.with_subject_or_number(data.get("q", ""))


class ColleagueChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.user.name or obj.user.email


class ColleagueForm(forms.Form):
    """One member of the requester's organization, from tickets.services.colleagues_to_add."""

    colleague = ColleagueChoice(label=_("Colleague"), queryset=None, empty_label=None)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = choices
