"""Each published figure: its key (as in the API), its label, its kind and its definition."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    kind: str  # count, rate, seconds
    definition: Promise
    # True when a higher value is good news (colours the change against the last period).
    higher_is_better: bool | None = None


FIGURES = [
    Figure(
        "tickets_created",
        _("Tickets created"),
        "count",
        _("Tickets created during the period (days in the helpdesk's time zone)."),
    ),
    Figure(
        "response_rate",
        _("Response rate"),
        "rate",
        _(
            "Of the tickets created in the period, the share that received at least one public "
            "reply from staff (an agent, supervisor or admin). Internal notes and replies by "
            "the requester do not count."
        ),
        True,
    ),
    Figure(
        "first_response_seconds_mean",
        _("First response time (mean)"),
        "seconds",
        _(
            "From creation to the first public staff reply, averaged over the tickets created "
            "in the period that have one."
        ),
        False,
    ),
    Figure(
        "resolution_seconds_mean",
        _("Resolution time (mean)"),
        "seconds",
        _(
            "From creation to the first time the ticket was solved, averaged over the tickets "
            "created in the period that have been solved. Reopening does not reset it."
        ),
        False,
    ),
    Figure(
        "resolution_seconds_median",
        _("Resolution time (median)"),
        "seconds",
        _(
            "The middle value of the same resolution times: half the solved tickets took less. "
            "With an even number, the mean of the two middle values."
        ),
        False,
    ),
    Figure(
        "resolution_seconds_p90",
        _("Resolution time (90th percentile)"),
        "seconds",
        _(
            "Nine in ten solved tickets took at most this long (interpolated between the two "
            "nearest values, like PostgreSQL's percentile_cont)."
        ),
        False,
    ),
    Figure(
        "solved_count",
        _("Solved"),
        "count",
        _("Of the tickets created in the period, how many have been solved (at any time since)."),
        True,
    ),
    Figure(
        "solved_in_period",
        _("Solved in the period"),
        "count",
        _("Tickets solved for the first time during the period, whenever they were created."),
        True,
    ),
    Figure(
        "reopened_count",
        _("Reopened"),
        "count",
        _("How many times a solved or closed ticket was reopened during the period."),
        False,
    ),
    Figure(
        "backlog",
        _("Backlog"),
        "count",
        _(
            "Tickets open (new, open or pending) at the end of the period's last day: created "
            "by then and not solved or closed at that moment."
        ),
        False,
    ),
    Figure(
        "ratings_count",
        _("Ratings"),
        "count",
        _("Satisfaction ratings customers gave during the period (a changed rating counts once)."),
    ),
    Figure(
        "csat",
        _("CSAT"),
        "rate",
        _(
            "Of the ratings given in the period, the share scoring 4 or 5 out of 5. Empty when "
            "there are no ratings."
        ),
        True,
    ),
]

# Service levels: the targets of the ticket's SLA policy, in its calendar's business time.
FIGURES += [
    Figure(
        "first_response_sla_met",
        _("First response target met"),
        "rate",
        _(
            "Of the tickets created in the period whose SLA policy sets a first response "
            "target and that have had their first response (or were solved without one), the "
            "share answered by the due time. Empty when none had such a target."
        ),
        True,
    ),
    Figure(
        "resolution_sla_met",
        _("Resolution target met"),
        "rate",
        _(
            "Of the tickets created in the period whose SLA policy sets a resolution target "
            "and that have been solved, the share first solved by the due time. Empty when "
            "none had such a target."
        ),
        True,
    ),
    Figure(
        "first_response_sla_breached",
        _("First response targets missed"),
        "count",
        _(
            "Of the tickets created in the period, how many had their first response after "
            "its due time. A ticket still waiting past its due time counts once it is answered."
        ),
        False,
    ),
    Figure(
        "resolution_sla_breached",
        _("Resolution targets missed"),
        "count",
        _(
            "Of the tickets created in the period, how many were first solved after their "
            "resolution due time. A ticket still open past its due time counts once it is solved."
        ),
        False,
    ),
    Figure(
        "first_response_business_seconds_mean",
        _("First response in business hours (mean)"),
        "seconds",
        _(
            "From creation to the first public staff reply, counted in the business hours of "
            "the calendar of the ticket's SLA policy (closed hours and holidays left out, and "
            "time pending where the policy pauses), averaged over the tickets created in the "
            "period that have a policy and a first response."
        ),
        False,
    ),
    Figure(
        "resolution_business_seconds_mean",
        _("Resolution in business hours (mean)"),
        "seconds",
        _(
            "From creation to the first time the ticket was solved, counted in the same "
            "business hours, averaged over the tickets created in the period that have a "
            "policy and have been solved."
        ),
        False,
    ),
]
BY_KEY = {figure.key: figure for figure in FIGURES}
