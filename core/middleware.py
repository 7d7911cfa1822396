"""Input no page or endpoint can store: refused at the door with a 400, not a 500 in SQL."""

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())


class RefuseNulMiddleware:
    """A NUL in a query string, a form field or a file's name is a 400.

    PostgreSQL cannot hold NUL in text, so a search or a saved field with one failed deep in
    a query. JSON bodies are checked by core.parsers.JSONObjectParser.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request.GET) or self._form_holds_nul(request):
            return self._refusal(request)
        return self.get_response(request)

    @staticmethod
    def _form_holds_nul(request) -> bool:
        if request.method != "POST" or request.content_type not in FORM_TYPES:
            return False
        try:
            return _holds_nul(request.POST) or any(
                "\x00" in (upload.name or "") for upload in request.FILES.values()
            )
        except (MultiPartParserError, SuspiciousOperation, UnreadablePostError):
            return False  # malformed otherwise: the view's parser answers that

    @staticmethod
    def _refusal(request):
        message = _("The request contains a NUL character, which cannot be stored.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        context = {"tenant": None, "membership": None, "message": message}
        return render(request, "400.html", context, status=400)
