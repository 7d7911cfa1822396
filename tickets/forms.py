"""Forms of the portal, the workspace and the ticket page. They check shape; services act."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from accounts.actions import SCOPE_OWN
from accounts.models import Membership, Organization, Role, User
from core.params import MAX_ID, object_id

from .models import Comment, NotificationTemplate, Queue, Ticket
from .services import upload_refusals

SUBJECT_MAX = Ticket._meta.get_field("subject").max_length
BODY_MAX = Comment._meta.get_field("body").max_length
DESCRIPTION_MAX = Ticket._meta.get_field("description").max_length


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked against the attachment limits."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        errors = upload_refusals(cleaned)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class VersionField(forms.CharField):
    """The ticket's updated_at when the form was drawn: a later change is a conflict."""

    widget = forms.HiddenInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError as exc:
            raise forms.ValidationError(_("This form is out of date; reload the page.")) from exc


class SubmitForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown is welcome. Tell us what happened and what you expected."),
    )
    queue = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Queue.objects.none(),
        required=False,
        empty_label=_("I'm not sure"),
    )
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = Queue.objects.for_tenant(tenant).filter(is_public=True)

    def clean_subject(self):
        subject = self.cleaned_data["subject"].strip()
        if not subject:
            raise forms.ValidationError(_("Please write a subject."))
        return subject


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=[
            ("public", _("The requester (public reply)")),
            ("internal", _("Staff only (internal note)")),
        ],
        widget=forms.RadioSelect,
        initial="public",
    )
    attachments = MultipleFileField(label=_("Attachments"))
    version = VersionField(required=False)
    # Staff: the macro picked (its changes are made on sending), and the status the button
    # sets ("Send and set pending / solved"; empty: "Send").
    macro = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    set_status = forms.ChoiceField(
        required=False,
        choices=[("", ""), (Ticket.Status.PENDING, ""), (Ticket.Status.SOLVED, "")],
    )

    def __init__(
        self, *args, may_reply: bool = True, may_note: bool = True, staff: bool = True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        choices = []
        if may_reply:
            choices.append(("public", _("The requester (public reply)")))
        if staff and may_note:
            choices.append(("internal", _("Staff only (internal note)")))
        self.fields["visibility"].choices = choices
        self.fields["visibility"].initial = choices[0][0] if choices else None
        if not staff:
            del self.fields["visibility"], self.fields["macro"], self.fields["set_status"]
            self.fields["body"].label = _("Add to the conversation")


class ListedChoices(ModelChoiceIterator):
    """A model select's options from a list (``objects``, or the queryset read whole).

    Django reads a select's queryset with ``.iterator()``, which on PostgreSQL declares a
    server-side cursor held past the transaction: three statements and a materialized result
    for twenty queues. Here the options come from objects already read (the kept staff list)
    or from one plain read; each option is what ModelChoiceIterator makes of the object.
    """

    def __init__(self, field, objects=None):
        super().__init__(field)
        self.objects = objects

    def _objects(self):
        return self.objects if self.objects is not None else list(self.queryset)

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self._objects():
            yield (ModelChoiceIteratorValue(obj.pk, obj), self.field.label_from_instance(obj))

    def __len__(self):
        return len(self._objects()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self._objects())


class TicketUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Ticket.Priority.choices)
    queue = forms.ModelChoiceField(
        label=_("Queue"), queryset=Queue.objects.none(), required=False, empty_label=_("No queue")
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas."),
    )
    version = VersionField(required=False)

    def __init__(self, *args, tenant, staff=None, **kwargs):
        """``staff``: the tenant's active staff already read (accounts.staff.active_staff)."""
        kwargs.setdefault("auto_id", "id_props_%s")  # beside the reply form on one page
        super().__init__(*args, **kwargs)
        queue, assignee = self.fields["queue"], self.fields["assignee"]
        queue.queryset = Queue.objects.for_tenant(tenant)
        queue.widget.choices = ListedChoices(queue)
        assignee.queryset = staff_users(tenant)  # what a sent form is checked against
        assignee.label_from_instance = lambda user: user.get_full_name()
        assignee.widget.choices = ListedChoices(assignee, staff)

    def clean_tags(self):
        return sorted(
            {t.strip().lower()[:50] for t in self.cleaned_data["tags"].split(",") if t.strip()}
        )


def staff_users(tenant):
    return User.objects.filter(
        pk__in=Membership.objects.for_tenant(tenant).active().staff().values("user_id")
    ).order_by("name", "email")


def staff_or_query(staff: list[User] | None, tenant) -> list[User]:
    """The staff list a view already read (one query for all its forms), or read it now."""
    return staff if staff is not None else list(staff_users(tenant))


class OrganizationField(forms.ModelChoiceField):
    """An organization of the helpdesk: chosen from a list where there are few, typed by name
    where there are too many to list (a page with thousands of options would be slow and
    heavy). Its id, as saved views and links carry it, is accepted either way."""

    LIST_LIMIT = 100

    def set_organizations(self, queryset) -> None:
        self.queryset = queryset
        self.typed = queryset.count() > self.LIST_LIMIT
        if self.typed:
            self.widget = forms.TextInput(attrs={"autocomplete": "off"})
            self.help_text = _("Its name")

    def to_python(self, value):
        if not getattr(self, "typed", False) or value in self.empty_values:
            return super().to_python(value)
        text = str(value).strip()
        pk = object_id(text)
        found = self.queryset.filter(pk=pk).first() if pk else None
        found = found or self.queryset.filter(name__iexact=text).first()
        if found is None:
            raise forms.ValidationError(
                _("No organization of this helpdesk has this name."), code="invalid_choice"
            )
        return found

    def prepare_value(self, value):
        if not getattr(self, "typed", False):
            return super().prepare_value(value)
        if isinstance(value, Organization):
            return value.name
        if object_id(value):
            found = self.queryset.filter(pk=object_id(value)).first()
            return found.name if found else value
        return value


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


SORTS = {
    "-created": ("-created_at", _("Newest first")),
    "created": ("created_at", _("Oldest first")),
    "-updated": ("-updated_at", _("Recently updated")),
    "updated": ("updated_at", _("Least recently updated")),
    "-priority": ("-priority_rank", _("Most urgent first")),
    "priority": ("priority_rank", _("Least urgent first")),
    "-number": ("-number", _("Highest number")),
    "number": ("number", _("Lowest number")),
    "due": ("sla_due_at", _("Due soonest first")),
    "-due": ("-sla_due_at", _("Due last first")),
}


class WorkspaceFilterForm(forms.Form):
    VIEWS = [
        ("mine", _("My open tickets")),
        ("unassigned", _("Unassigned in my queues")),
        ("queues", _("All in my queues")),
        ("recent", _("Recently updated")),
        ("breaching", _("Breaching soon")),
        ("all", _("All tickets")),
    ]
    view = forms.ChoiceField(label=_("View"), choices=VIEWS, required=False)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Number, name, e-mail or words")}
        ),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"), choices=Ticket.Status.choices, required=False
    )
    priority = forms.MultipleChoiceField(
        label=_("Priority"), choices=Ticket.Priority.choices, required=False
    )
    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.none(), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    requester = forms.CharField(
        label=_("Requester"),
        required=False,
        max_length=200,
        help_text=_("Name or e-mail contains"),
    )
    organization = OrganizationField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    created_after = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_before = forms.DateField(
        label=_("Created until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    updated_after = forms.DateField(
        label=_("Updated since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due = forms.ChoiceField(
        label=_("Due"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("hour", _("Due within the hour")),
            ("breached_week", _("Breached this week")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort"), choices=[(k, v[1]) for k, v in SORTS.items()], required=False
    )

    def __init__(self, *args, member: Membership, staff: list[User] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        tenant = member.tenant
        if not member.sees_all_tickets:
            self.fields["view"].choices = self.VIEWS[:-1]
        self.fields["queue"].queryset = Queue.objects.worked_by(member)
        self.fields["queue"].widget.choices = ListedChoices(self.fields["queue"])
        self.fields["organization"].set_organizations(Organization.objects.for_tenant(tenant))
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody")),
            *[(str(u.pk), u.get_full_name()) for u in staff_or_query(staff, tenant)],
        ]


class SaveFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of this view"), max_length=80)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)


class TeamViewForm(SaveFilterForm):
    """A view an admin shares: with the members of some roles and those who work some queues."""

    roles = forms.ModelMultipleChoiceField(
        label=_("Share with the roles"),
        queryset=Role.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    queues = forms.ModelMultipleChoiceField(
        label=_("Share with those who work the queues"),
        queryset=Queue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, tenant, **kwargs):
        kwargs.setdefault("auto_id", "team_%s")  # beside the personal view's form
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = Role.objects.for_tenant(tenant).exclude(scope=SCOPE_OWN)
        self.fields["queues"].queryset = Queue.objects.for_tenant(tenant)

    def clean(self):
        data = super().clean()
        if not data.get("roles") and not data.get("queues"):
            raise forms.ValidationError(_("Share the view with at least one role or queue."))
        return data


class BulkForm(forms.Form):
    ACTIONS = [
        ("assign", _("Assign to")),
        ("status", _("Set status")),
        ("tags", _("Add tags")),
    ]
    tickets = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)
    bulk_action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *Ticket.Status.choices], required=False
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=500)

    def __init__(self, *args, tenant, staff: list[User] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = self.data.getlist("tickets") if hasattr(self.data, "getlist") else []
        self.fields["tickets"].choices = [(i, i) for i in ids]
        self.fields["assignee"].choices = [
            ("", "—"),
            ("me", _("Me")),
            ("none", _("Nobody")),
            *[(str(u.pk), u.get_full_name()) for u in staff_or_query(staff, tenant)],
        ]

    def clean(self):
        data = super().clean()
        action = data.get("bulk_action")
        if action == "assign" and not data.get("assignee"):
            self.add_error("assignee", _("Choose whom to assign the tickets to."))
        if action == "status" and not data.get("status"):
            self.add_error("status", _("Choose a status."))
        if action == "tags" and not data.get("tags", "").strip():
            self.add_error("tags", _("Write at least one tag."))
        return data


class QueueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_public = forms.BooleanField(label=_("Offered in the portal"), required=False, initial=True)
    assignment = forms.ChoiceField(
        label=_("Assignment of new tickets"),
        choices=Queue.Assignment.choices,
        initial=Queue.Assignment.MANUAL,
        required=False,  # a form that does not ask keeps today's manual assignment
        help_text=_(
            "Automatic assignment chooses among the agents who work the queue and are "
            "available: not away, and under their capacity."
        ),
    )
    agents = forms.ModelMultipleChoiceField(
        label=_("Agents who work it"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, tenant, queue: Queue | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant, self.queue = tenant, queue
        self.fields["agents"].queryset = staff_users(tenant)
        self.fields["agents"].label_from_instance = lambda user: user.get_full_name()

    def clean_assignment(self):
        return self.cleaned_data["assignment"] or Queue.Assignment.MANUAL

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Queue.objects.for_tenant(self.tenant).filter(name__iexact=name)
        if self.queue is not None:
            taken = taken.exclude(pk=self.queue.pk)
        if taken.exists():
            raise forms.ValidationError(_("There is already a queue with this name."))
        return name


class NotificationTemplateForm(forms.Form):
    kind = forms.ChoiceField(choices=NotificationTemplate.Kind.choices, widget=forms.HiddenInput)
    language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.HiddenInput)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Body"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 10})
    )

    def _known_placeholders_only(self, name: str) -> str:
        from .notifications import PLACEHOLDERS, unknown_placeholders

        text = self.cleaned_data[name]
        unknown = unknown_placeholders(text)
        if unknown:
            raise forms.ValidationError(
                _("Not something an e-mail can fill in: %(unknown)s. Use only: %(known)s.")
                % {
                    "unknown": ", ".join(unknown),
                    "known": ", ".join(f"{{{{ {p} }}}}" for p in PLACEHOLDERS),
                }
            )
        return text

    def clean_subject(self):
        return self._known_placeholders_only("subject")

    def clean_body(self):
        return self._known_placeholders_only("body")
