"""Template helpers of accounts: Markdown that no script survives."""

from core.text import render_markdown

FILTERS = {"markdown": render_markdown}
