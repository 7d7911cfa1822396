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
BY_KEY = {figure.key: figure for figure in FIGURES}
