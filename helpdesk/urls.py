from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.renderers import JSONRenderer

import core.converters  # noqa: F401 (registers <id:...> before any pattern is read)

# isort: split
import accounts.urls
import people.urls
from accounts.api_memberships import MyMembershipsView
from accounts.api_tokens import ApiTokenDetailView, ApiTokenListView, ObtainTokenView
from accounts.views import tenant_home
from accounts.viewsets import no_such_helpdesk
from helpdesk.docs import ApiDocsView
from helpdesk.errors import server_error
from helpdesk.health import healthz, readyz

# Pages of one tenant live under /t/<slug>/, its API under /api/v1/t/<slug>/; the tenant is
# resolved once per request: accounts.middleware.TenantMiddleware (pages) and
# accounts.viewsets.TenantScopedViewSet (API).
TENANT_APPS = [
    "accounts",
    "people",
    "tickets",
    "metrics",
    "knowledge",
    "mailroom",
    "notifications",
]
# The people pages that show or change tickets live above tickets (people/) but keep the
# accounts namespace, so that `accounts:person` and the like name them as before: one include
# of both apps' patterns (two includes of one namespace would hide the second from reverse()).
ACCOUNTS_PAGES = ([*accounts.urls.urlpatterns, *people.urls.urlpatterns], accounts.urls.app_name)
OTHER_PAGES = ["tickets", "metrics", "knowledge", "mailroom", "notifications"]

urlpatterns = [
    path("", include("accounts.urls_auth")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("readyz/", readyz, name="readyz"),
    path("t/<slug:slug>/", tenant_home, name="tenant_home"),
    path("t/<slug:slug>/", include(ACCOUNTS_PAGES)),
    *[path("t/<slug:slug>/", include(f"{app}.urls")) for app in OTHER_PAGES],
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/auth/tokens/", ApiTokenListView.as_view(), name="api-tokens"),
    path("api/v1/auth/tokens/<id:pk>/", ApiTokenDetailView.as_view(), name="api-token-revoke"),
    path("api/v1/me/", MyMembershipsView.as_view(), name="api-my-memberships"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/v1/docs/",
        ApiDocsView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    *[path("api/v1/t/<slug:slug>/", include(f"{app}.api_urls")) for app in TENANT_APPS],
]


def not_found(request, exception):
    """The 404 page, without the helpdesk of the URL: an outsider must not learn its name.
    Under /api/ a URL that matches no route (a malformed id, a number past any key) answers
    the very bytes of an unknown slug's 404, so no path tells a helpdesk's routes apart."""
    if request.path.startswith("/api/"):
        body = JSONRenderer().render({"detail": no_such_helpdesk().detail})
        return HttpResponse(body, status=404, content_type="application/json")
    # Context processors (accounts.context_processors.tenancy) read these, after the view's
    # context under Jinja2, so the page forgets them on the request itself.
    request.tenant = request.membership = None
    return render(request, "404.html", status=404)


handler404 = not_found
handler500 = server_error
