from django.shortcuts import render

from accounts.views_access import member_required

from .models import Ticket


@member_required("view_ticket")
def workspace(request, slug):
    tickets = Ticket.objects.visible_to(request.membership).with_list_columns()[:50]
    return render(request, "tickets/workspace.html", {"tickets": tickets})


@member_required("submit_ticket")
def portal(request, slug):
    tickets = (
        Ticket.objects.visible_to(request.membership)
        .filter(requester=request.user)
        .with_list_columns()[:50]
    )
    return render(request, "tickets/portal.html", {"tickets": tickets})
