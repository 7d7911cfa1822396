"""What the knowledge pages share: going back to the form's page, the member's articles."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from ..models import Article


def _back(request, default: str):
    """Return to the page the form came from, if it is one of ours."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _visible(request):
    return Article.objects.visible_to(request.membership)
