"""The audit log of a tenant, filtered and paged."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from .api import audit_entries
from .forms import AuditFilterForm
from .views_access import member_required


@member_required("view_audit_log")
def audit_log(request, slug):
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()  # the valid filters apply; a bad one is named on the form
        data = form.cleaned_data
        filters = {
            "action": data.get("action"),
            "actor": data.get("actor"),
            "from": data.get("date_from"),
            "to": data.get("date_to"),
        }
    entries = audit_entries(request.tenant, filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
