"""Forms of the service-level settings pages. They check shape; tickets.services.sla_settings
checks the rules (the API's too) and its refusals come back as these forms' errors."""

from __future__ import annotations

from datetime import date
from functools import cache
from zoneinfo import available_timezones

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, Role
from core.params import MAX_INTEGER

from .models import Calendar, Queue, SlaPolicy, Ticket
from .services.service_levels import MAX_TARGET_MINUTES


@cache
def _zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(available_timezones())]


@cache
def _country_choices() -> list[tuple[str, str]]:
    import holidays

    return [(code, code) for code in sorted(holidays.list_supported_countries())]


def hours_field(weekday: int) -> str:
    return f"hours_{weekday}"


def spans_text(hours: list[dict], weekday: int) -> str:
    return ", ".join(f"{h['start']}-{h['end']}" for h in hours if h["weekday"] == weekday)


class CalendarForm(forms.Form):
    """Name, time zone, the hours of each weekday ("09:00-12:00, 13:00-17:00"; empty: closed,
    and every day empty: open 24/7) and holidays, one date a line."""

    name = forms.CharField(label=_("Name"), max_length=100)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_zone_choices, initial="UTC")

    def __init__(self, *args, with_hours: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_hours:
            return
        for weekday, name in WEEKDAYS.items():
            self.fields[hours_field(weekday)] = forms.CharField(
                label=name,
                required=False,
                max_length=200,
                help_text=_("Spans as 09:00-12:00, 13:00-17:00; empty: closed."),
            )
        self.fields["holidays"] = forms.CharField(
            label=_("Holidays"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=_("One date a line, as 2027-12-25."),
        )

    def clean(self):
        data = super().clean()
        if hours_field(0) not in self.fields:
            return data
        hours = []
        for weekday in WEEKDAYS:
            text = data.get(hours_field(weekday)) or ""
            for span in filter(None, (part.strip() for part in text.split(","))):
                start, dash, end = span.partition("-")
                if not dash:
                    self.add_error(hours_field(weekday), _("Write each span as 09:00-17:00."))
                    break
                hours.append({"weekday": weekday, "start": start.strip(), "end": end.strip()})
        data["hours"] = hours
        days = []
        for line in filter(None, (line.strip() for line in data.get("holidays", "").splitlines())):
            try:
                days.append(date.fromisoformat(line.split()[0]))
            except ValueError:
                self.add_error("holidays", _("Not a date as 2027-12-25: %(line)s") % {"line": line})
        data["holiday_dates"] = days
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"name": data["name"], "time_zone": data["time_zone"]}
        if "hours" in data:
            arguments.update(hours=data["hours"], holidays=data["holiday_dates"])
        return arguments

    @staticmethod
    def initial_for(calendar: Calendar) -> dict:
        initial = {"name": calendar.name, "time_zone": calendar.time_zone}
        for weekday in WEEKDAYS:
            initial[hours_field(weekday)] = spans_text(calendar.hours, weekday)
        initial["holidays"] = "\n".join(
            f"{holiday.date} {holiday.name}".strip() for holiday in calendar.holidays.all()
        )
        return initial


class HolidayLoadForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices, initial="IL")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.now().year + 1


def _minutes(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=MAX_TARGET_MINUTES,
        help_text=_("Minutes of business time; empty: not measured."),
    )


class SlaPolicyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    position = forms.IntegerField(
        label=_("Position"),
        required=False,
        min_value=0,
        max_value=MAX_INTEGER,
        help_text=_("Policies are tried from the lowest position; empty: last."),
    )
    calendar = forms.ModelChoiceField(label=_("Calendar"), queryset=Calendar.objects.none())
    priority = forms.MultipleChoiceField(
        label=_("Priorities"),
        required=False,
        choices=Ticket.Priority.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    queue = forms.ModelMultipleChoiceField(
        label=_("Queues"),
        required=False,
        queryset=Queue.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    organization = forms.ModelMultipleChoiceField(
        label=_("Organizations"),
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    channel = forms.MultipleChoiceField(
        label=_("Channels"),
        required=False,
        choices=Ticket.Channel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    role = forms.MultipleChoiceField(
        label=_("Requester's role"),
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    first_response_minutes = _minutes(_("First response"))
    next_response_minutes = _minutes(_("Next response (after each customer reply)"))
    resolution_minutes = _minutes(_("Resolution"))
    pause_when_pending = forms.BooleanField(
        label=_("Pause the clock while pending"), required=False, initial=True
    )
    warn_minutes_before = forms.IntegerField(
        label=_("Warn before a due time (minutes)"),
        required=False,  # left empty: 30 for a new policy, unchanged for one edited
        min_value=0,
        max_value=10_080,
        initial=30,
        help_text=_("The assignee, or the queue's agents, hear this long before; 0: no warning."),
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calendar"].queryset = Calendar.objects.for_tenant(tenant)
        self.fields["queue"].queryset = Queue.objects.for_tenant(tenant).order_by("name")
        self.fields["organization"].queryset = Organization.objects.for_tenant(tenant).order_by(
            "name"
        )
        self.fields["role"].choices = [
            (role.key, str(role)) for role in Role.objects.for_tenant(tenant)
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        conditions = {
            "priority": list(data["priority"]),
            "queue": [queue.pk for queue in data["queue"]],
            "organization": [org.pk for org in data["organization"]],
            "channel": list(data["channel"]),
            "role": list(data["role"]),
        }
        lead = data["warn_minutes_before"]
        return {
            "name": data["name"],
            "position": data["position"],
            "calendar": data["calendar"],
            "conditions": {key: values for key, values in conditions.items() if values},
            "first_response_minutes": data["first_response_minutes"],
            "next_response_minutes": data["next_response_minutes"],
            "resolution_minutes": data["resolution_minutes"],
            "pause_when_pending": data["pause_when_pending"],
        } | ({"warn_minutes_before": lead} if lead is not None else {})

    @staticmethod
    def initial_for(policy: SlaPolicy) -> dict:
        conditions = policy.conditions or {}
        return {
            "name": policy.name,
            "position": policy.position,
            "calendar": policy.calendar_id,
            **{key: conditions.get(key, []) for key in SlaPolicy.CONDITIONS},
            "first_response_minutes": policy.first_response_minutes,
            "next_response_minutes": policy.next_response_minutes,
            "resolution_minutes": policy.resolution_minutes,
            "pause_when_pending": policy.pause_when_pending,
            "warn_minutes_before": policy.warn_minutes_before,
        }


class DryRunForm(forms.Form):
    ticket = forms.IntegerField(label=_("Ticket number"), min_value=1, max_value=MAX_INTEGER)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal as the form's errors, on the field it names where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
