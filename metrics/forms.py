from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportSubscription

PRESETS = [7, 30, 90]


class PeriodForm(forms.Form):
    """?days=7|30|90 (up to today) or ?from=&to= (inclusive dates in the tenant's zone)."""

    days = forms.TypedChoiceField(
        label=_("Period"),
        choices=[(n, _("Last %(n)s days") % {"n": n}) for n in PRESETS],
        coerce=int,
        required=False,
    )

    def __init__(self, *args, today: date, default_days: int = 30, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.default_days = default_days
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=date_input)
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=date_input)

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("“From” must not be after “To”."))
            if (end - start).days > 3660:
                raise forms.ValidationError(_("A period is at most ten years."))
        return data

    def period(self) -> tuple[date, date, int | None]:
        """(start, end, preset days or None for a custom period)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("from") and data.get("to"):
            return data["from"], data["to"], None
        days = data.get("days") or self.default_days
        return self.today - timedelta(days=days - 1), self.today, days


class SubscriptionForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Frequency"), choices=ReportSubscription.Frequency)
    subscribe = forms.BooleanField(required=False)
