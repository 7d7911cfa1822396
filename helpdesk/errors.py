"""The 500 handler: a lost database is a clean 503 (try again), not a server error page."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

# Seconds a client is asked to wait before trying again.
RETRY_AFTER = "30"


def _database_unreachable() -> bool:
    # Django calls handler500 inside its except block, so the exception is still at hand.
    error = sys.exc_info()[1]
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request):
    if not _database_unreachable():
        if request.path.startswith("/api/"):  # the API answers JSON, even when it fails
            return JsonResponse({"detail": _("Something went wrong on our side.")}, status=500)
        return django_server_error(request)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("The service is unavailable for a moment; please try again.")},
            status=503,
        )
    else:
        # Rendered without the request: its context processors would read the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = RETRY_AFTER
    return response
