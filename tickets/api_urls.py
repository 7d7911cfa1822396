"""API endpoints of tickets, under /api/v1/t/<slug>/."""

from rest_framework.routers import SimpleRouter

from .api.macros import MacroViewSet
from .api.queues import QueueViewSet
from .api.service_levels import CalendarViewSet, SlaPolicyViewSet
from .api.tickets import TicketViewSet

router = SimpleRouter(use_regex_path=False)  # path converters: <id:pk>
router.register("tickets", TicketViewSet, basename="ticket")
router.register("queues", QueueViewSet, basename="queue")
router.register("macros", MacroViewSet, basename="macro")
router.register("calendars", CalendarViewSet, basename="calendar")
router.register("sla-policies", SlaPolicyViewSet, basename="sla-policy")

urlpatterns = router.urls
