"""Joining rules: who may join and as what, with a test address; warnings on saving.

Thin: every write is a service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import JoiningRuleForm, add_errors
from .models import JoiningRule
from .services import (
    NotPermitted,
    add_joining_rule,
    change_joining_rule,
    delete_joining_rule,
    joining_outcome,
    split_groups,
    unreachable_rules,
)
from .views_access import member_required


@member_required("manage_joining_rules")
def joining_rules(request, slug, rule_id=None):
    tenant = request.tenant
    rule = (
        get_object_or_404(JoiningRule.objects.for_tenant(tenant), pk=rule_id) if rule_id else None
    )
    rules = list(JoiningRule.objects.for_tenant(tenant).in_order())  # read once, for both uses
    form = JoiningRuleForm(
        request.POST or None,
        instance=rule,
        tenant=tenant,
        initial={"position": (rules[-1].position + 1) if rules else 1},
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if rule is None:
                saved = add_joining_rule(tenant=tenant, by=request.user, **fields)
            else:
                # A fresh copy: the bound form has already changed ``rule`` in memory.
                saved = change_joining_rule(
                    rule=JoiningRule.objects.for_tenant(tenant).get(pk=rule.pk),
                    by=request.user,
                    **fields,
                )
        except ValidationError as error:
            add_errors(form, error)
        except NotPermitted as refusal:
            form.add_error("role", refusal.reasons)
        else:
            messages.success(request, _("Joining rule saved."))
            _warn_about(request, saved)
            return redirect("accounts:joining_rules", slug=slug)
    shadowed = unreachable_rules(rules)
    for r in rules:
        r.never_decides = shadowed.get(r.pk)  # the earlier rule that takes all its addresses
    test_email = request.GET.get("email", "").strip()
    test_groups = request.GET.get("groups", "")
    outcome = (
        joining_outcome(tenant=tenant, email=test_email, groups=split_groups(test_groups))
        if "@" in test_email
        else None
    )
    return render(
        request,
        "accounts/joining_rules.html",
        {
            "rules": rules,
            "form": form,
            "rule": rule,
            "test_email": test_email,
            "test_groups": test_groups,
            "outcome": outcome,
        },
    )


def _warn_about(request, saved: JoiningRule) -> None:
    """Say so when a rule just saved can never decide, or lets staff in unchecked."""
    rules = JoiningRule.objects.for_tenant(saved.tenant).in_order()
    earlier = unreachable_rules(rules).get(saved.pk)
    if earlier is not None:
        messages.warning(
            request,
            _("“%(rule)s” never decides: “%(earlier)s” comes first and matches every such address.")
            % {"rule": saved, "earlier": earlier},
        )
    if saved.lets_staff_in_unchecked:
        messages.warning(
            request,
            _("“%(rule)s” makes people staff with no admin approving them first.")
            % {"rule": saved},
        )


@require_POST
@member_required("manage_joining_rules")
def joining_rule_delete(request, slug, rule_id):
    rule = get_object_or_404(
        JoiningRule.objects.for_tenant(request.tenant).select_related("role"), pk=rule_id
    )
    delete_joining_rule(rule=rule, by=request.user)
    messages.success(request, _("Joining rule deleted."))
    return redirect("accounts:joining_rules", slug=slug)
