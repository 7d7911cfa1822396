"""API conventions loaded by DRF's settings: pagination and error shapes.

Kept apart from accounts.viewsets so that DRF can import these while it is itself being imported.
"""

from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.access import Refused
from accounts.services import NotPermitted
from core.params import page_number


class PageNumberPagination(pagination.PageNumberPagination):
    """Numbered pages without COUNT(*) over a big table.

    A page fetches one row more than it shows to know whether another follows, so ``next``
    goes on as long as there are rows. ``count`` is exact up to ``count_limit`` rows; past
    that it says ``count_limit`` and ``count_capped`` is true (counting a million tickets on
    every page would cost more than the page itself).
    """

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    count_limit = 1000
    template = None  # the browsable API's page links would need the full count

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        if not size:
            return None
        raw = request.query_params.get(self.page_query_param) or "1"
        if raw in self.last_page_strings:
            raw = str(max(1, -(-self._count(queryset) // size)))
        number = page_number(raw, size=size)
        if number is None:
            raise NotFound(self.invalid_page_message)
        start = (number - 1) * size
        rows = list(queryset[start : start + size + 1])
        if not rows and number > 1:
            raise NotFound(self.invalid_page_message)
        self.number, self.has_next = number, len(rows) > size
        self._count(queryset)
        return rows[:size]

    def _count(self, queryset) -> int:
        if not hasattr(self, "count"):
            self.count = queryset.order_by()[: self.count_limit + 1].count()
        return self.count

    def get_paginated_response(self, data):
        return Response(
            {
                "count": min(self.count, self.count_limit),
                "count_capped": self.count > self.count_limit,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"More than {self.count_limit} results: count says {self.count_limit}.",
        }
        return response

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)


def exception_handler(exc, context):
    """DRF's handler, plus our refusals (403 with reasons), model validation (400) and
    requests Django itself finds malformed (too many fields or files): JSON, not its HTML 400."""
    if isinstance(exc, Refused):
        return Response(
            {"detail": " ".join(exc.decision.reasons), "reasons": exc.decision.reasons},
            status=403,
        )
    if isinstance(exc, NotPermitted):
        # A service's refusal no view caught (e.g. giving more than one holds): the same 403.
        return Response({"detail": exc.message, "reasons": exc.reasons}, status=403)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    if isinstance(exc, SuspiciousOperation):
        exc = ParseError(str(exc) or None)
    return drf_exception_handler(exc, context)
