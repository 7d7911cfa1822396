"""The ticket serializer's own fields (tickets/api/tickets.py)."""

from __future__ import annotations

import datetime

from rest_framework import serializers
from rest_framework.settings import ISO_8601, api_settings

from ..forms import staff_users
from ..models import Queue


class TagsField(serializers.ListField):
    """Tag names in, tag names out: read from the prefetched tags, or from ``known_tags`` when
    the view holds them already (a ticket just opened has none: nothing to read back). A list
    page's rows carry theirs as ``tag_names`` (TicketViewSet.list)."""

    child = serializers.CharField(max_length=50)

    def get_attribute(self, instance):
        known = getattr(instance, "known_tags", None)
        if known is not None:
            return known
        return [tag.name for tag in instance.tags.all()]

    def to_representation(self, data):
        return list(data)


class TenantQueueField(serializers.PrimaryKeyRelatedField):
    """A queue of the caller's helpdesk: all of them for staff, the portal's for customers.

    The queryset is built when a value is looked up, not with every serializer.
    """

    def get_queryset(self):
        member = self.context.get("membership")
        if member is None:
            return super().get_queryset()
        return Queue.objects.visible_to(member)


class StaffUserField(serializers.PrimaryKeyRelatedField):
    """An active staff member of the caller's helpdesk, looked up when a value is given."""

    def get_queryset(self):
        member = self.context.get("membership")
        return super().get_queryset() if member is None else staff_users(member.tenant)


class DateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, and ``writer()`` for a page of values: the same strings, with the
    format and the time zone looked up once instead of for each value (a list of 25 tickets
    writes about 60 instants)."""

    def writer(self):
        output_format = getattr(self, "format", api_settings.DATETIME_FORMAT)
        zone = self.timezone if hasattr(self, "timezone") else self.default_timezone()
        if zone is None or not isinstance(output_format, str) or output_format.lower() != ISO_8601:
            return self.to_representation

        def write(value):
            if type(value) is not datetime.datetime or value.tzinfo is None:
                return self.to_representation(value)  # naive, or not a datetime: DRF's rules
            try:
                text = value.astimezone(zone).isoformat()
            except OverflowError:
                return self.to_representation(value)  # DRF's error for it
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return write
