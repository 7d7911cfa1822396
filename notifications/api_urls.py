"""API endpoints of notifications, under /api/v1/t/<slug>/."""

from rest_framework.routers import SimpleRouter

from .api import NotificationViewSet

router = SimpleRouter(use_regex_path=False)  # path converters: <id:pk>
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
