"""Forms of macros and of tickets staff open on behalf of someone. They check shape;
services act."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership

from .forms import BODY_MAX, DESCRIPTION_MAX, SUBJECT_MAX, ListedChoices, staff_or_query
from .models import Queue, Ticket, works_every_queue


class MacroForm(forms.Form):
    """A macro as its page edits it; add_macro and change_macro check the rest."""

    name = forms.CharField(label=_("Name"), max_length=100)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "May say {{ requester.name }}, {{ ticket.number }} and {{ agent.name }}: "
            "filled in for the ticket it is used on."
        ),
    )
    is_public = forms.TypedChoiceField(
        label=_("Posted as"),
        coerce=lambda value: value == "public",
        choices=[("public", _("A public reply")), ("internal", _("An internal note"))],
        initial="public",
    )
    status = forms.ChoiceField(label=_("Then set the status to"), required=False)
    priority = forms.ChoiceField(label=_("Set the priority to"), required=False)
    tags = forms.CharField(
        label=_("Add tags"), required=False, max_length=500, help_text=_("Separated by commas.")
    )
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    shared_with = forms.ChoiceField(label=_("Who uses it"))

    def __init__(self, *args, tenant, roles, may_share: bool, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        unchanged = [("", _("Leave as it is"))]
        self.fields["status"].choices = unchanged + [
            c for c in Ticket.Status.choices if c[0] != Ticket.Status.NEW
        ]
        self.fields["priority"].choices = unchanged + list(Ticket.Priority.choices)
        self.fields["assignee"].choices = [
            *unchanged,
            ("me", _("Whoever uses it")),
            *[(str(u.pk), u.get_full_name()) for u in staff_or_query(staff, tenant)],
        ]
        audiences = [("me", _("Only me"))]
        if may_share:
            audiences += [("tenant", _("Everyone who works here"))]
            audiences += [(r.key, _("The role %(role)s") % {"role": r}) for r in roles]
        self.fields["shared_with"].choices = audiences

    def clean_tags(self):
        return sorted(
            {t.strip().lower()[:50] for t in self.cleaned_data["tags"].split(",") if t.strip()}
        )

    def sets(self) -> dict:
        data = self.cleaned_data
        assignee = data["assignee"]
        return {
            "status": data["status"],
            "priority": data["priority"],
            "tags": data["tags"],
            "assignee": int(assignee) if assignee.isdigit() else assignee,
        }


class OnBehalfForm(forms.Form):
    """A ticket staff open for a member of the helpdesk (a phone call, a walk-in)."""

    requester = forms.EmailField(
        label=_("For whom"), help_text=_("The e-mail address of a member of this helpdesk.")
    )
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    description = forms.CharField(
        label=_("What they need"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    queue = forms.ModelChoiceField(
        label=_("Queue"), queryset=Queue.objects.none(), required=False, empty_label=_("No queue")
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Ticket.Priority.choices, initial=Ticket.Priority.NORMAL
    )

    def __init__(self, *args, member: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = Queue.objects.worked_by(member)
        if not works_every_queue(member):
            # A ticket in no queue is one only those who work every queue may open.
            self.fields["queue"].required = True
            self.fields["queue"].empty_label = None
        self.fields["queue"].widget.choices = ListedChoices(self.fields["queue"])

    def clean_subject(self):
        subject = self.cleaned_data["subject"].strip()
        if not subject:
            raise forms.ValidationError(_("Please write a subject."))
        return subject
