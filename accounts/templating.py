"""Template helpers of accounts: Markdown that no script survives."""

from helpdesk.text import render_markdown

FILTERS = {"markdown": render_markdown}
