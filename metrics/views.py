"""Metrics pages: the dashboard, its CSV, the definitions, people analytics and reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import can, decide
from accounts.models import Membership
from accounts.views_access import member_required, render_refusal
from core.exports import csv_download

from . import people, services
from .definitions import FIGURES
from .forms import PeriodForm, SubscriptionForm
from .models import Dimension, ReportSubscription
from .queries import change, freshness, headline, named_breakdown, previous_period, timeseries


def _period(request, default_days: int = 30):
    form = PeriodForm(
        request.GET or None,
        today=services.local_today(request.tenant),
        default_days=default_days,
    )
    start, end, preset = form.period()
    return form, start, end, preset


def _headline_cards(current: dict, previous: dict) -> list[dict]:
    cards = []
    for fig in FIGURES:
        delta = change(current[fig.key], previous[fig.key])
        good = None
        if delta and fig.higher_is_better is not None:
            good = (delta > 0) == fig.higher_is_better
        cards.append(
            {
                "figure": fig,
                "value": current[fig.key],
                "previous": previous[fig.key],
                "change": delta,
                "good": good,
            }
        )
    return cards


def _dashboard_figures(tenant, start, end, before) -> dict:
    """The dashboard's figures, read from the rollups once per metrics run.

    Rollups change only when update_metrics commits, which also stamps the tenant's
    MetricsState.computed_at: that stamp is in the cache key, so a run makes the next view
    read the new figures, and every view in between reads one cache entry instead of
    summing the rollups of two periods and every queue and agent again.
    """

    def compute():
        return {
            "current": headline(tenant, start, end),
            "previous": headline(tenant, *before),
            "series": timeseries(tenant, start, end),
            "by_queue": named_breakdown(tenant, start, end, Dimension.QUEUE),
            "by_agent": named_breakdown(tenant, start, end, Dimension.AGENT),
            "by_channel": named_breakdown(tenant, start, end, Dimension.CHANNEL),
            "by_policy": named_breakdown(tenant, start, end, Dimension.POLICY),
        }

    state = freshness(tenant)
    if state is None or state.computed_at is None:
        return {**compute(), "state": state}
    # Names in the breakdowns ("No queue") are translated: one entry per language.
    key = (
        f"metrics:dashboard:{tenant.pk}:{start}:{end}:"
        f"{state.computed_at.timestamp()}:{get_language()}"
    )
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, DASHBOARD_CACHE_SECONDS)
    return {**figures, "state": state}


DASHBOARD_CACHE_SECONDS = 24 * 3600


def dashboard_context(request) -> dict:
    tenant = request.tenant
    form, start, end, preset = _period(request)
    before = previous_period(start, end)
    figures = _dashboard_figures(tenant, start, end, before)
    current, previous, series = figures["current"], figures["previous"], figures["series"]
    return {
        "form": form,
        "period_start": start,
        "period_end": end,
        "preset": preset,
        "presets": [7, 30, 90],
        "previous_start": before[0],
        "previous_end": before[1],
        "cards": _headline_cards(current, previous),
        "series": series,
        "chart_data": [
            {
                "day": p["day"].isoformat(),
                "created": p["tickets_created"],
                "solved": p["solved"],
                "response_rate": p["response_rate"],
                "resolution_hours": (
                    round(p["resolution_seconds_median"] / 3600, 2)
                    if p["resolution_seconds_median"] is not None
                    else None
                ),
                "resolution_mean_hours": (
                    round(p["resolution_seconds_mean"] / 3600, 2)
                    if p["resolution_seconds_mean"] is not None
                    else None
                ),
                "csat": p["csat"],
                "first_response_sla_met": p["first_response_sla_met"],
                "resolution_sla_met": p["resolution_sla_met"],
                "resolution_business_hours": _hours(p["resolution_business_seconds_mean"]),
            }
            for p in series
        ],
        "by_queue": figures["by_queue"],
        "by_agent": figures["by_agent"],
        "by_channel": figures["by_channel"],
        "by_policy": figures["by_policy"],
        "state": figures["state"],
        "query": request.GET.urlencode(),
    }


def _hours(seconds):
    return round(seconds / 3600, 2) if seconds is not None else None


@member_required("view_metrics")
def dashboard(request, slug):
    return render(request, "metrics/dashboard.html", dashboard_context(request))


@member_required("view_metrics")
def export(request, slug):
    """The dashboard's figures as CSV: headline, one row per day, then per queue, agent,
    channel and SLA policy."""
    context = dashboard_context(request)
    start, end = context["period_start"], context["period_end"]
    response, writer = csv_download(f"metrics-{request.tenant.slug}-{start}-{end}.csv")
    writer.writerow(["section", "figure", "value", "previous_period_value"])
    for card in context["cards"]:
        writer.writerow(
            ["headline", card["figure"].key, _csv(card["value"]), _csv(card["previous"])]
        )
    writer.writerow([])
    day_fields = [
        "tickets_created",
        "solved",
        "response_rate",
        "resolution_seconds_mean",
        "resolution_seconds_median",
        "reopened",
        "backlog",
        "ratings_count",
        "csat",
        "first_response_sla_met",
        "resolution_sla_met",
        "resolution_business_seconds_mean",
    ]
    writer.writerow(["day", *day_fields])
    for point in context["series"]:
        writer.writerow([point["day"].isoformat(), *(_csv(point[f]) for f in day_fields)])
    breakdown_fields = [fig.key for fig in FIGURES]
    for dimension, rows in [
        ("queue", context["by_queue"]),
        ("agent", context["by_agent"]),
        ("channel", context["by_channel"]),
        ("policy", context["by_policy"]),
    ]:
        writer.writerow([])
        writer.writerow([dimension, *breakdown_fields])
        for row in rows:
            writer.writerow([row["name"], *(_csv(row[f]) for f in breakdown_fields)])
    return response


def _csv(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return value


@member_required()
def definitions(request, slug):
    if not (can(request.membership, "view_metrics") or can(request.membership, "view_own_metrics")):
        return render_refusal(request, decide(request.membership, "view_metrics"))
    return render(request, "metrics/definitions.html", {"figures": FIGURES})


@member_required("view_metrics")
def people_directory(request, slug):
    tenant = request.tenant
    form, start, end, preset = _period(request, default_days=90)
    page = Paginator(people.directory(tenant), 50).get_page(request.GET.get("page"))
    members = list(page.object_list)
    agents = {row["id"]: row for row in named_breakdown(tenant, start, end, Dimension.AGENT)}
    # Who gets an agent's figures and who a requester's: what their role lets them do, the
    # same words decide() reads (a deactivated agent keeps the figures of their work).
    works = {m.pk: m.role.allows("work_tickets") for m in members}
    customer_ids = [m.user_id for m in members if not works[m.pk]]
    requested = people.requested_counts(tenant, start, end, customer_ids)
    rows = [
        {
            "membership": m,
            "tenure_days": people.tenure_days(m),
            "agent": agents.get(m.user_id) if works[m.pk] else None,
            "requested": None if works[m.pk] else requested.get(m.user_id, 0),
        }
        for m in members
    ]
    by_org = named_breakdown(tenant, start, end, Dimension.ORGANIZATION)
    return render(
        request,
        "metrics/people.html",
        {
            "form": form,
            "period_start": start,
            "period_end": end,
            "preset": preset,
            "presets": [7, 30, 90],
            "page": page,
            "rows": rows,
            "cohorts": people.agent_cohorts(tenant, start, end),
            "quarter_start": people.quarter_start(services.local_today(tenant)),
            "by_org": by_org,
            "state": freshness(tenant),
        },
    )


def _person_context(request, membership: Membership) -> dict:
    tenant = request.tenant
    form, start, end, preset = _period(request, default_days=90)
    works_tickets = membership.role.allows("work_tickets")  # an agent's figures or a requester's
    context = {
        "form": form,
        "period_start": start,
        "period_end": end,
        "preset": preset,
        "presets": [7, 30, 90],
        "person": membership,
        "tenure_days": people.tenure_days(membership),
        "activity": people.weekly_activity(tenant, membership.user_id),
        "works_tickets": works_tickets,
        "state": freshness(tenant),
        "figures": FIGURES,
    }
    if works_tickets:
        context["handled"] = headline(tenant, start, end, Dimension.AGENT, membership.user_id)
        context["kind_words"] = people.kind_words(tenant, membership.user_id)
    else:
        context["requested"] = people.requested_figures(tenant, membership.user_id, start, end)
    context["max_events"] = max([w["events"] for w in context["activity"]] + [1])
    return context


@member_required("view_metrics")
def person(request, slug, user_id: int):
    membership = (
        people.directory(request.tenant).filter(user_id=user_id).first()
    )  # another tenant's person is simply not here
    if membership is None:
        raise Http404
    return render(request, "metrics/person.html", _person_context(request, membership))


@member_required("view_own_metrics")
def me(request, slug):
    context = _person_context(request, request.membership)
    context["is_me"] = True
    return render(request, "metrics/person.html", context)


@member_required("view_metrics")
@require_http_methods(["GET", "POST"])
def subscriptions(request, slug):
    tenant, user = request.tenant, request.user
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            frequency = form.cleaned_data["frequency"]
            if form.cleaned_data["subscribe"]:
                services.subscribe_to_report(tenant=tenant, user=user, frequency=frequency)
                messages.success(request, _("You will receive the report by e-mail."))
            else:
                services.unsubscribe_from_report(tenant=tenant, user=user, frequency=frequency)
                messages.success(request, _("You will no longer receive this report."))
            return redirect("metrics:subscriptions", slug=tenant.slug)
    mine = set(
        ReportSubscription.objects.for_tenant(tenant)
        .filter(user=user)
        .values_list("frequency", flat=True)
    )
    options = [
        {"value": value, "label": label, "subscribed": value in mine}
        for value, label in ReportSubscription.Frequency.choices
    ]
    return render(request, "metrics/subscriptions.html", {"options": options})
