"""API endpoints of the mailroom, under /api/v1/t/<slug>/."""

from rest_framework.routers import SimpleRouter

from .api import InboundMessageViewSet, MailboxViewSet

router = SimpleRouter(use_regex_path=False)  # path converters: <id:pk>
router.register("mailboxes", MailboxViewSet, basename="mailbox")
router.register("inbound-messages", InboundMessageViewSet, basename="inbound-message")

urlpatterns = router.urls
