from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.cache import CacheUnavailable
from core.client import client_ip

from . import signin
from .actions import ACTIONS, SCOPES
from .audit_words import SUBJECTS
from .models import JoiningRule, Membership, Organization, Role


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field where the form has one, else on top."""
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ThrottledLoginForm(AuthenticationForm):
    """Sign-in through accounts.signin: failures limited per e-mail and address pair, slowed
    per account."""

    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail and password do not match an account."),
        "throttled": _("Too many failed sign-ins. Wait %(minutes)s minutes and try again."),
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = signin.authenticate(self.request, email=email, password=password)
            except signin.SignInRefused as refused:
                raise forms.ValidationError(
                    self.error_messages["throttled"],
                    code="throttled",
                    params={"minutes": refused.minutes},
                ) from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def registration_throttled(request) -> bool:
    """The sign-up page's flood guard: the API's "register" rate, per client address.

    Counts every attempt (successful or not), so a flood is refused whatever it posts.
    """
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["register"]
    count, _slash, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
    key = f"register-page:ip:{client_ip(request)}"
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key) > int(count)
    except CacheUnavailable:  # fails open, as every limit kept in the cache
        return False


class SignUpForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class TenantFormMixin:
    """Choices of roles and organizations come from the request's tenant only."""

    def limit_to_tenant(self, tenant):
        if "role" in self.fields:
            self.fields["role"].queryset = Role.objects.for_tenant(tenant)
        if "organization" in self.fields:
            self.fields["organization"].queryset = Organization.objects.for_tenant(tenant)


class InviteForm(TenantFormMixin, forms.Form):
    email = forms.CharField(label=_("E-mail"), max_length=254, widget=forms.EmailInput())
    role = forms.ModelChoiceField(label=_("Role"), queryset=None, to_field_name="key")
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=None, required=False, empty_label=_("No organization")
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_to_tenant(tenant)


class InviteCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("One person a line: e-mail,role[,organization]. Roles by key or name."),
    )


class JoiningRuleForm(TenantFormMixin, forms.ModelForm):
    class Meta:
        model = JoiningRule
        fields = [
            "kind",
            "pattern",
            "effect",
            "group",
            "role",
            "organization",
            "requires_approval",
            "expires_after_days",
            "position",
        ]

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_to_tenant(tenant)
        self.fields["organization"].empty_label = _("No organization")
        # Older forms and scripts post no effect: a rule lets people in unless it says not.
        self.fields["effect"].required = False

    def clean_effect(self):
        return self.cleaned_data.get("effect") or JoiningRule.Effect.ALLOW


class RoleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("Plain description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What this role may and may not do, in words people understand."),
    )
    scope = forms.ChoiceField(label=_("Which tickets"), widget=forms.RadioSelect)
    permissions = forms.MultipleChoiceField(
        label=_("Allowed actions"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = SCOPES
        self.fields["permissions"].choices = [(key, label) for key, label in ACTIONS.items()]


class MembershipForm(TenantFormMixin, forms.Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=None)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=None, required=False, empty_label=_("No organization")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Membership.Status.ACTIVE, _("Active")),
            (Membership.Status.DEACTIVATED, _("Deactivated")),
        ],
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_to_tenant(tenant)


class ExplainForm(forms.Form):
    action = forms.ChoiceField(label=_("What"))
    ticket = forms.IntegerField(label=_("Ticket number (optional)"), required=False, min_value=1)
    # Why giving a role is allowed or refused (no one gives more than they hold).
    role = forms.ModelChoiceField(
        label=_("Giving the role (optional)"),
        queryset=Role.objects.none(),
        to_field_name="key",
        required=False,
    )

    def __init__(self, *args, tenant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(key, label) for key, label in ACTIONS.items()]
        if tenant is not None:
            self.fields["role"].queryset = Role.objects.for_tenant(tenant)
        else:
            del self.fields["role"]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("About"),
        required=False,
        choices=[("", _("Anything")), *SUBJECTS.items()],
    )
    actor = forms.CharField(label=_("Who (e-mail or name)"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, so you know which to revoke (e.g. “reporting script”)."),
    )
    expires_in_days = forms.IntegerField(label=_("Expires after (days)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["expires_in_days"]
        field.initial = settings.API_TOKEN_DAYS
        field.max_value = settings.API_TOKEN_MAX_DAYS
        field.validators.append(MaxValueValidator(settings.API_TOKEN_MAX_DAYS))
        field.widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS


class SubstituteField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.user.get_full_name()


class AbsenceForm(forms.Form):
    """When a person is away and who covers; the service (set_absence) checks the rest."""

    starts = forms.DateField(
        label=_("First day away"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends = forms.DateField(label=_("Last day away"), widget=forms.DateInput(attrs={"type": "date"}))
    substitute = SubstituteField(
        label=_("Covered by"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )
    hands_over = forms.BooleanField(
        label=_("Hand open tickets to the substitute"),
        required=False,
        initial=True,
        help_text=_("They come back on return if still open and still with the substitute."),
    )
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)

    def __init__(self, *args, member: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = (
            Membership.objects.for_tenant(member.tenant_id)
            .active()
            .staff()
            .exclude(pk=member.pk)
            .select_related("user")
            .order_by("user__name", "user__email")
        )


class IdentityProviderForm(forms.Form):
    """An OpenID Connect provider (accounts.services.add_identity_provider checks the rest)."""

    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("The button says “Sign in with” this name.")
    )
    issuer = forms.CharField(
        label=_("Issuer"), max_length=300, help_text=_("For example https://id.acme.com.")
    )
    client_id = forms.CharField(label=_("Client id"), max_length=255)
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=1000,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Kept encrypted; never shown again."),
    )
    client_secret_env = forms.RegexField(
        label=_("Or the environment variable holding it"),
        regex=r"^[A-Za-z_][A-Za-z0-9_]*$",
        required=False,
        max_length=100,
    )
    domains = forms.CharField(
        label=_("E-mail domains"),
        required=False,
        max_length=1000,
        help_text=_("Comma-separated; empty: any address the provider has verified."),
    )
    required_for_staff = forms.BooleanField(
        label=_("Staff must sign in with this provider"), required=False
    )

    def clean_domains(self):
        return [d.strip() for d in self.cleaned_data["domains"].split(",") if d.strip()]
