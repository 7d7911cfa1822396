"""The workload board (people/workload/): a supervisor's morning page."""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import render

from accounts.views_access import member_required
from tickets.models import Ticket

from .workload import WAITING, workload


def _link(user_id: int, **extra) -> str:
    """The workspace's query for one person's tickets, with the filters of one number."""
    query = QueryDict(mutable=True)
    query["view"] = "all"
    query["assignee"] = str(user_id)
    for name, value in extra.items():
        if isinstance(value, list | tuple):
            query.setlist(name, [str(v) for v in value])
        else:
            query[name] = value
    return query.urlencode()


@member_required("view_metrics")
def workload_board(request, slug):
    rows = [
        {
            "load": load,
            "open": _link(load.user_id, status=list(Ticket.UNSOLVED)),
            "waiting": _link(load.user_id, status=list(WAITING), sort="created"),
            "due": _link(load.user_id, due="hour", sort="due"),
            "breached": _link(load.user_id, due="breached_week"),
        }
        for load in workload(request.tenant)
    ]
    return render(request, "accounts/workload.html", {"rows": rows})
