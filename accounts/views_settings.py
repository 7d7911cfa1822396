"""The helpdesk's own settings, and the hub that links every settings page."""

import zoneinfo

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Tenant
from .services import TENANT_SETTINGS, NotPermitted, update_tenant_settings
from .views_access import member_required

# The zones people pick from: UTC and the Area/City names. The database also keeps old
# aliases (US/Eastern, EST5EDT, Etc/GMT+5, ...) that only lengthen the list; a helpdesk that
# already uses one keeps it (the form adds its current zone).
REGIONS = (
    "Africa/", "America/", "Antarctica/", "Arctic/", "Asia/", "Atlantic/", "Australia/",
    "Europe/", "Indian/", "Pacific/",
)  # fmt: skip
TIME_ZONES = ["UTC"] + sorted(z for z in zoneinfo.available_timezones() if z.startswith(REGIONS))


class TenantSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        choices=[(zone, zone) for zone in TIME_ZONES],
        help_text=gettext_lazy("Days in metrics and times on pages follow this zone."),
    )

    class Meta:
        model = Tenant
        fields = TENANT_SETTINGS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form that does not send it (an older page, a script) keeps the current days.
        self.fields["auto_close_days"].required = False
        current = self.instance.time_zone
        if current and current not in TIME_ZONES:
            self.fields["time_zone"].choices = [
                (current, current),
                *self.fields["time_zone"].choices,
            ]

    def clean_auto_close_days(self):
        days = self.cleaned_data.get("auto_close_days")
        return self.instance.auto_close_days if days is None else days


@member_required("manage_settings")
def tenant_settings(request, slug):
    form = TenantSettingsForm(request.POST or None, instance=Tenant(**_current(request.tenant)))
    if request.method == "POST" and form.is_valid():
        try:
            update_tenant_settings(tenant=request.tenant, by=request.user, **form.cleaned_data)
        except NotPermitted as refusal:
            form.add_error("agents_work_all_queues", refusal.reasons)
        else:
            messages.success(request, _("The helpdesk's settings were saved."))
            return redirect("accounts:settings", slug=slug)
    return render(request, "accounts/settings.html", {"form": form})


def _current(tenant: Tenant) -> dict:
    # An unsaved copy for the form, so that a refused form never alters request.tenant.
    return {field: getattr(tenant, field) for field in TENANT_SETTINGS}
