"""Handing a stored file to someone who may have it: the page and the API answer alike."""

from django.http import FileResponse

from .models import Attachment


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download, never rendered by the browser in the helpdesk's origin."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    # An uploaded HTML or SVG file must not run as a page of the helpdesk.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
