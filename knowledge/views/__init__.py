"""Pages of the knowledge app: thin; reads through QuerySets, writes through services.

One module per concern; every name is re-exported here, so ``from knowledge.views import X`` and
``views.X`` in the URL conf work wherever X lives."""

from __future__ import annotations

# The private helpers (``_x as _x``) stay importable here as before; __all__ lists the rest.
from .announcements import announcement_read, announcement_readers, news
from .base import _back as _back
from .base import _visible as _visible
from .checklists import onboarding, onboarding_set
from .idea_board import idea_answer, idea_vote, ideas
from .managing import _article_form_page as _article_form_page
from .managing import _diff as _diff
from .managing import _save_from_form as _save_from_form
from .managing import (
    article_create,
    article_edit,
    article_history,
    category_create,
    manage,
    restore,
    reviewed,
    settings_update,
)
from .reading import SUGGESTIONS, acknowledge, article_detail, article_list, deflect, suggest
from .recognition import _kudos_page as _kudos_page
from .recognition import agent_kudos, kudos, thank

__all__ = [
    "SUGGESTIONS",
    "acknowledge",
    "agent_kudos",
    "announcement_read",
    "announcement_readers",
    "article_create",
    "article_detail",
    "article_edit",
    "article_history",
    "article_list",
    "category_create",
    "deflect",
    "idea_answer",
    "idea_vote",
    "ideas",
    "kudos",
    "manage",
    "news",
    "onboarding",
    "onboarding_set",
    "restore",
    "reviewed",
    "settings_update",
    "suggest",
    "thank",
]
