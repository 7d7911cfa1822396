from django import template

from helpdesk.text import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """{{ body|markdown }}: sanitized Markdown (no script reaches a page)."""
    return render_markdown(text)
