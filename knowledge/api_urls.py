"""API endpoints of knowledge, under /api/v1/t/<slug>/."""

from rest_framework.routers import SimpleRouter

from . import api

# Path converters (not regexes): the isolation test fills every route with foreign ids.
router = SimpleRouter(use_regex_path=False)
router.register("articles", api.ArticleViewSet, basename="knowledge-article")
router.register("suggestions", api.SuggestionViewSet, basename="knowledge-suggestion")
router.register("deflections", api.DeflectionViewSet, basename="knowledge-deflection")
router.register("announcements", api.AnnouncementViewSet, basename="knowledge-announcement")
router.register("ideas", api.IdeaViewSet, basename="knowledge-idea")
router.register("kudos/notes", api.ThankYouNoteViewSet, basename="knowledge-thanks")
router.register("kudos", api.KudosViewSet, basename="knowledge-kudos")

urlpatterns = router.urls
