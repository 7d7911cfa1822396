"""Liveness for load balancers, and the benchmark's floor: no session, no database."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    # Deliberately touches nothing: it measures what a bare Django view costs on this machine.
    return HttpResponse("ok", content_type="text/plain")
