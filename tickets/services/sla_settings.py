"""Admins' service-level settings: business-hours calendars with their holidays, and the
ordered SLA policies. Each write is checked here (pages and API share the rules), audited,
and moves the due times of the tenant's open tickets (service_levels.policies_changed)."""

from __future__ import annotations

from datetime import date
from functools import cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, Role, Tenant, User
from accounts.services import record_audit
from core.business_time import format_clock, parse_clock, weekly_spans

from ..models import Calendar, Holiday, Queue, SlaPolicy, Ticket
from .service_levels import MAX_TARGET_MINUTES, policies_changed

# Years whose holidays the `holidays` package is asked for: enough around today.
HOLIDAY_YEARS = range(2000, 2101)


def clean_time_zone(value: str) -> str:
    value = (value or "").strip()
    if value not in _zones():
        raise ValidationError(
            {"time_zone": [_("Not a known time zone: %(zone)s") % {"zone": value}]}
        )
    return value


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def clean_hours(hours) -> list[dict]:
    """The hours as stored and shown: [{"weekday", "start", "end"}] sorted, spans merged.
    Each wrong span is a ValidationError on ``hours`` saying what is wrong with it."""
    if not isinstance(hours, list | tuple):
        raise ValidationError({"hours": [_("Hours are a list of spans.")]})
    for entry in hours:
        if not isinstance(entry, dict) or set(entry) != {"weekday", "start", "end"}:
            raise ValidationError({"hours": [_("Each span is a weekday, a start and an end.")]})
        weekday = entry["weekday"]
        if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValidationError({"hours": [_("A weekday is 0 (Monday) to 6 (Sunday).")]})
        try:
            start, end = parse_clock(str(entry["start"])), parse_clock(str(entry["end"]))
        except ValueError:
            raise ValidationError({"hours": [_("Times are HH:MM, from 00:00 to 24:00.")]}) from None
        if end <= start:
            raise ValidationError({"hours": [_("A span must end after it starts.")]})
    days = weekly_spans(hours)
    return [
        {"weekday": weekday, "start": format_clock(begin), "end": format_clock(finish)}
        for weekday in sorted(days)
        for begin, finish in days[weekday]
    ]


def _calendar_state(calendar: Calendar) -> dict:
    return {
        "name": calendar.name,
        "time_zone": calendar.time_zone,
        "hours": [f"{h['weekday']} {h['start']}-{h['end']}" for h in calendar.hours],
        "holidays": [str(d) for d in sorted(calendar.holiday_dates())],
    }


def _check_calendar_name(tenant_id: int, name: str, calendar: Calendar | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("A calendar needs a name.")]})
    taken = Calendar.objects.for_tenant(tenant_id).filter(name__iexact=name)
    if calendar is not None:
        taken = taken.exclude(pk=calendar.pk)
    if taken.exists():
        raise ValidationError({"name": [_("There is already a calendar with this name.")]})
    return name


def _set_holidays(calendar: Calendar, holidays) -> None:
    """Make the calendar's holidays these dates (names of days kept stay as they were)."""
    wanted = {day if isinstance(day, date) else date.fromisoformat(str(day)) for day in holidays}
    calendar.holidays.exclude(date__in=wanted).delete()
    kept = set(calendar.holidays.values_list("date", flat=True))
    Holiday.objects.bulk_create(
        [Holiday(calendar=calendar, date=day) for day in sorted(wanted - kept)]
    )


@transaction.atomic
def create_calendar(
    *, tenant: Tenant, by: User | None, name: str, time_zone: str = "UTC", hours=(), holidays=()
) -> Calendar:
    """A business-hours calendar; no hours is a 24/7 calendar."""
    calendar = Calendar.objects.create(
        tenant=tenant,
        name=_check_calendar_name(tenant.pk, name),
        time_zone=clean_time_zone(time_zone),
        hours=clean_hours(hours),
    )
    _set_holidays(calendar, holidays)
    record_audit(
        tenant=tenant,
        actor=by,
        action="calendar.created",
        target=calendar,
        after=_calendar_state(calendar),
    )
    policies_changed(tenant.pk)
    return calendar


@transaction.atomic
def update_calendar(
    *, calendar: Calendar, by: User | None, name=None, time_zone=None, hours=None, holidays=None
) -> Calendar:
    """Change what is given (None: left as it is); every policy on it moves its tickets."""
    calendar = Calendar.objects.select_for_update().get(pk=calendar.pk)
    before = _calendar_state(calendar)
    if name is not None:
        calendar.name = _check_calendar_name(calendar.tenant_id, name, calendar)
    if time_zone is not None:
        calendar.time_zone = clean_time_zone(time_zone)
    if hours is not None:
        calendar.hours = clean_hours(hours)
    calendar.save()
    if holidays is not None:
        _set_holidays(calendar, holidays)
    after = _calendar_state(calendar)
    if after != before:
        record_audit(
            tenant=calendar.tenant,
            actor=by,
            action="calendar.changed",
            target=calendar,
            before=before,
            after=after,
        )
        policies_changed(calendar.tenant_id)
    return calendar


@transaction.atomic
def delete_calendar(*, calendar: Calendar, by: User | None) -> None:
    """Remove a calendar no policy uses (ValidationError naming the policies otherwise)."""
    users = list(calendar.policies.values_list("name", flat=True))
    if users:
        raise ValidationError(
            {
                "detail": [
                    _("These policies use this calendar: %(names)s. Give them another first.")
                    % {"names": ", ".join(users)}
                ]
            }
        )
    before = _calendar_state(calendar)
    record_audit(
        tenant=calendar.tenant,
        actor=by,
        action="calendar.deleted",
        target=calendar,
        before=before,
    )
    calendar.delete()
    policies_changed(calendar.tenant_id)


@transaction.atomic
def load_country_holidays(
    *, calendar: Calendar, by: User | None, country: str, year: int, subdivision: str = ""
) -> int:
    """Add a country's public holidays of one year (the ``holidays`` package: e.g. "IL" for
    Israel, with its Jewish holidays); days already there stay. Returns how many were added.
    An unknown country or year is a ValidationError."""
    import holidays as holiday_calendars

    country = (country or "").strip().upper()
    if year not in HOLIDAY_YEARS:
        raise ValidationError({"year": [_("Choose a year between 2000 and 2100.")]})
    try:
        days = holiday_calendars.country_holidays(country, subdiv=subdivision or None, years=year)
    except NotImplementedError:
        raise ValidationError(
            {"country": [_("No holidays are known for this country: %(code)s") % {"code": country}]}
        ) from None
    calendar = Calendar.objects.select_for_update().get(pk=calendar.pk)
    kept = set(calendar.holidays.values_list("date", flat=True))
    added = [
        Holiday(calendar=calendar, date=day, name=str(name)[:200])
        for day, name in sorted(days.items())
        if day not in kept
    ]
    Holiday.objects.bulk_create(added)
    record_audit(
        tenant=calendar.tenant,
        actor=by,
        action="calendar.holidays_loaded",
        target=calendar,
        after={"country": country, "year": year, "added": [str(h.date) for h in added]},
    )
    if added:
        policies_changed(calendar.tenant_id)
    return len(added)


@transaction.atomic
def remove_holiday(*, holiday: Holiday, by: User | None) -> None:
    calendar = holiday.calendar
    update_calendar(
        calendar=calendar,
        by=by,
        holidays=[d for d in calendar.holiday_dates() if d != holiday.date],
    )


# Policies -------------------------------------------------------------------------------------


def clean_conditions(tenant_id: int, conditions) -> dict:
    """Conditions as stored: only known keys, each a list of values of this tenant (ids of its
    queues and organizations, its role keys); unknown values are a ValidationError."""
    if conditions in (None, ""):
        return {}
    if not isinstance(conditions, dict):
        raise ValidationError({"conditions": [_("Conditions are an object of lists.")]})
    unknown_keys = sorted(set(conditions) - set(SlaPolicy.CONDITIONS))
    if unknown_keys:
        raise ValidationError(
            {"conditions": [_("Unknown conditions: %(keys)s") % {"keys": ", ".join(unknown_keys)}]}
        )
    allowed = {
        "priority": lambda: set(Ticket.Priority.values),
        "channel": lambda: set(Ticket.Channel.values),
        "queue": lambda: set(Queue.objects.for_tenant(tenant_id).values_list("pk", flat=True)),
        "organization": lambda: set(
            Organization.objects.for_tenant(tenant_id).values_list("pk", flat=True)
        ),
        "role": lambda: set(Role.objects.for_tenant(tenant_id).values_list("key", flat=True)),
    }
    clean = {}
    for key in SlaPolicy.CONDITIONS:
        values = conditions.get(key) or []
        if not isinstance(values, list) or not all(
            isinstance(v, int if key in ("queue", "organization") else str)
            and not isinstance(v, bool)
            for v in values
        ):
            raise ValidationError({"conditions": [_("%(key)s: a list of values.") % {"key": key}]})
        if not values:
            continue
        wrong = [v for v in values if v not in allowed[key]()]
        if wrong:
            raise ValidationError(
                {
                    "conditions": [
                        _("%(key)s: not of this helpdesk: %(values)s")
                        % {"key": key, "values": ", ".join(map(str, wrong))}
                    ]
                }
            )
        clean[key] = sorted(dict.fromkeys(values), key=str)
    return clean


MAX_LEAD_MINUTES = 10_080  # a week


def _clean_lead_time(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_LEAD_MINUTES:
        raise ValidationError(
            {
                "warn_minutes_before": [
                    _("Warn 0 to %(max)s minutes before a due time.") % {"max": MAX_LEAD_MINUTES}
                ]
            }
        )
    return value


def _clean_minutes(field: str, value):
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= MAX_TARGET_MINUTES
    ):
        raise ValidationError(
            {
                field: [
                    _("A target is 1 to %(max)s minutes, or empty.") % {"max": MAX_TARGET_MINUTES}
                ]
            }
        )
    return value


def _policy_state(policy: SlaPolicy) -> dict:
    return {
        "name": policy.name,
        "position": policy.position,
        "calendar": policy.calendar.name,
        "conditions": [f"{k}: {', '.join(map(str, v))}" for k, v in policy.conditions.items()],
        "first_response_minutes": policy.first_response_minutes,
        "next_response_minutes": policy.next_response_minutes,
        "resolution_minutes": policy.resolution_minutes,
        "pause_when_pending": policy.pause_when_pending,
        "warn_minutes_before": policy.warn_minutes_before,
    }


def _check_calendar(tenant_id: int, calendar: Calendar) -> Calendar:
    if calendar is None or calendar.tenant_id != tenant_id:
        raise ValidationError({"calendar": [_("Choose a calendar of this helpdesk.")]})
    return calendar


POLICY_FIELDS = (
    "name",
    "position",
    "calendar",
    "conditions",
    "first_response_minutes",
    "next_response_minutes",
    "resolution_minutes",
    "pause_when_pending",
    "warn_minutes_before",
)


def _apply_policy(policy: SlaPolicy, changes: dict) -> None:
    unknown = set(changes) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"Not a policy field: {', '.join(sorted(unknown))}")
    tenant_id = policy.tenant_id
    for field, value in changes.items():
        if field == "name":
            value = (value or "").strip()
            if not value:
                raise ValidationError({"name": [_("A policy needs a name.")]})
        elif field == "calendar":
            value = _check_calendar(tenant_id, value)
        elif field == "conditions":
            value = clean_conditions(tenant_id, value)
        elif field.endswith("_minutes"):
            value = _clean_minutes(field, value)
        elif field == "position":
            value = int(value)
        elif field == "warn_minutes_before":
            value = _clean_lead_time(value)
        setattr(policy, field, value)


@transaction.atomic
def create_sla_policy(*, tenant: Tenant, by: User | None, **fields) -> SlaPolicy:
    """A policy (fields of POLICY_FIELDS; ``calendar`` required). Without a position it
    goes last, so the policies before it keep matching first."""
    policy = SlaPolicy(tenant=tenant)
    if fields.get("position") is None:
        last = SlaPolicy.objects.for_tenant(tenant).aggregate(last=Max("position"))["last"]
        fields["position"] = 0 if last is None else last + 1
    fields.setdefault("conditions", {})
    fields.setdefault("calendar", None)
    _apply_policy(policy, fields)
    policy.save()
    record_audit(
        tenant=tenant,
        actor=by,
        action="sla_policy.created",
        target=policy,
        after=_policy_state(policy),
    )
    policies_changed(tenant.pk)
    return policy


@transaction.atomic
def update_sla_policy(*, policy: SlaPolicy, by: User | None, **changes) -> SlaPolicy:
    policy = SlaPolicy.objects.select_for_update().select_related("calendar").get(pk=policy.pk)
    before = _policy_state(policy)
    _apply_policy(policy, changes)
    policy.updated_at = timezone.now()
    policy.save()
    after = _policy_state(policy)
    if after != before:
        record_audit(
            tenant=policy.tenant,
            actor=by,
            action="sla_policy.changed",
            target=policy,
            before=before,
            after=after,
        )
        policies_changed(policy.tenant_id)
    return policy


@transaction.atomic
def delete_sla_policy(*, policy: SlaPolicy, by: User | None) -> None:
    record_audit(
        tenant=policy.tenant,
        actor=by,
        action="sla_policy.deleted",
        target=policy,
        before=_policy_state(policy),
    )
    policy.delete()
    policies_changed(policy.tenant_id)
