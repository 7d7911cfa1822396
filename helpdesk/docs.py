"""The API docs page: Redoc served from this server only (drf-spectacular-sidecar)."""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView


# Redoc builds its styles at run time (styled-components adds <style> elements), and its
# search runs in a worker made from a blob. Both come from the script served here; nothing
# from another server is allowed.
@method_decorator(
    csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}),
    name="dispatch",
)
class ApiDocsView(SpectacularRedocView):
    template_name = "helpdesk/api_docs.html"
