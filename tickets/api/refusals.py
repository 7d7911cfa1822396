"""How the tickets API says no to a move the ticket's state forbids: 409 with the reason."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from ..services import TicketClosed

CLOSED = inline_serializer("TicketClosed", {"detail": serializers.CharField()})


def ticket_closed(refusal: TicketClosed) -> Response:
    return Response({"detail": refusal.message}, status=status.HTTP_409_CONFLICT)
