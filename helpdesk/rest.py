"""API conventions loaded by DRF's settings: pagination and error shapes.

Kept apart from helpdesk.api so that DRF can import these while it is itself being imported.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.access import Refused


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    """DRF's handler, plus our refusals (403 with reasons) and model validation (400)."""
    if isinstance(exc, Refused):
        return Response(
            {"detail": " ".join(exc.decision.reasons), "reasons": exc.decision.reasons},
            status=403,
        )
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return drf_exception_handler(exc, context)
