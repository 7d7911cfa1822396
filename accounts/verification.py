"""Sign-ups prove their address before any joining rule lets them in.

A sign-up is kept as a ``SignUp`` row and a link to prove the address goes out by e-mail; no
account exists (and no membership grants anything) until the link is followed. Then the
tenant's joining rules decide, through the same ``joining_outcome`` the dry run shows. The
link carries a token signed by Django's signing framework (the row and its tenant, with a
time stamp): it expires after ``SIGNUP_LINK_HOURS``, and the row records its use, so it
works once.

The answer to a sign-up never says whether an account exists for the address: its owner
learns that by e-mail instead. Mails to one address are limited per hour, whoever asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import subject_line
from outbox.services import enqueue

from .models import Membership, SignUp, Tenant, User
from .services import NotPermitted, check_address, join_as_user
from .services.base import _membership_of

SALT = "accounts.signup"


class InvalidLink(Exception):  # noqa: N818 (a refusal with words, not a crash)
    """A sign-up token that cannot be used; ``message`` says why (expired, used, not valid)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Verified:
    """What following a link did: the outcome, the person (None when refused before an
    account was made) and their membership (None when refused)."""

    status: str  # "active", "pending" or "refused"
    reason: str
    user: User | None
    membership: Membership | None


def make_token(signup: SignUp) -> str:
    return signing.dumps([signup.pk, signup.tenant_id], salt=SALT, compress=True)


def _max_age() -> int:
    return settings.SIGNUP_LINK_HOURS * 3600


# --- Asking to join ----------------------------------------------------------------------


@transaction.atomic
def sign_up(*, tenant: Tenant, email: str, name: str, password: str) -> SignUp:
    """A stranger asks to join: bad input is a ValidationError (the same whoever owns the
    address); otherwise a link goes to the address, or, when it already has an account, a
    note saying so. The caller answers the same either way."""
    email = check_address(email)
    try:
        validate_password(password, User(email=email, name=name))
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    # Hashed whoever owns the address: the answer's timing must not tell either.
    hashed = make_password(password)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        signup = SignUp.objects.create(
            tenant=tenant, kind=SignUp.Kind.EXISTING, email=email, user=existing
        )
    else:
        signup = SignUp.objects.create(
            tenant=tenant,
            kind=SignUp.Kind.NEW,
            email=email,
            name=name.strip(),
            password=hashed,
        )
    send_again(signup=signup)
    return signup


@transaction.atomic
def join_signed_in(*, tenant: Tenant, user: User) -> Verified | SignUp:
    """A signed-in person joins another helpdesk. With a proved address the rules decide at
    once (a Verified); otherwise a link goes to the address first (the SignUp)."""
    if _membership_of(tenant, user) is not None:
        raise NotPermitted(_("You already belong to %(tenant)s.") % {"tenant": tenant.name})
    if user.email_verified:
        outcome, membership = join_as_user(tenant=tenant, user=user)
        return Verified(outcome.outcome, outcome.reason, user, membership)
    signup = SignUp.objects.create(
        tenant=tenant, kind=SignUp.Kind.JOIN, email=user.email, user=user
    )
    send_again(signup=signup)
    return signup


def mails_left(email: str) -> int:
    """How many more sign-up mails this address may get in the current hour."""
    since = timezone.now() - timedelta(hours=1)
    sent = (
        SignUp.objects.of_address(email)
        .filter(created_at__gte=since)
        .aggregate(n=Sum("mails_sent"))["n"]
    )
    return max(settings.SIGNUP_MAILS_PER_HOUR - (sent or 0), 0)


@transaction.atomic
def send_again(*, signup: SignUp) -> bool:
    """(Re)send the sign-up's mail unless the address had its share this hour; False then.
    The caller says the same either way (a stranger learns nothing from it)."""
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.verified_at is not None or not mails_left(signup.email):
        return False
    signup.mails_sent += 1
    signup.save(update_fields=["mails_sent"])
    from .tasks import send_sign_up_mail_task

    token = make_token(signup) if signup.kind != SignUp.Kind.EXISTING else ""
    enqueue(send_sign_up_mail_task, signup.pk, token)
    return True


def send_sign_up_mail(*, signup: SignUp, token: str) -> None:
    tenant = signup.tenant
    context = {"tenant": tenant, "signup": signup, "hours": settings.SIGNUP_LINK_HOURS}
    if signup.kind == SignUp.Kind.EXISTING:
        # The owner of the address, not the stranger who typed it, learns it has an account.
        context["login_link"] = settings.SITE_URL + reverse("login")
        context["reset_link"] = settings.SITE_URL + reverse("password_reset")
        context["join_link"] = settings.SITE_URL + reverse("accounts:join", args=[tenant.slug])
        subject = _("You already have an account")
        template = "accounts/email/account_exists.txt"
    else:
        context["link"] = settings.SITE_URL + reverse("accounts:verify", args=[tenant.slug, token])
        context["token"] = token
        subject = _("Confirm your e-mail address to join %(tenant)s") % {"tenant": tenant.name}
        template = "accounts/email/verify_address.txt"
    send_mail(subject_line(subject), render_to_string(template, context), None, [signup.email])


# --- Following the link ------------------------------------------------------------------


def find_sign_up(*, tenant: Tenant, token: str) -> SignUp:
    """The sign-up a token belongs to, if it can still be used; else InvalidLink saying why."""
    try:
        pk, tenant_id = signing.loads(token or "", salt=SALT, max_age=_max_age())
    except signing.SignatureExpired:
        raise InvalidLink(_("This link has expired. Sign up again to get a new one.")) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidLink(_("This link is not valid.")) from None
    signup = SignUp.objects.for_tenant(tenant).filter(pk=pk, tenant_id=tenant_id).first()
    if signup is None or signup.kind == SignUp.Kind.EXISTING:
        raise InvalidLink(_("This link is not valid."))
    if signup.verified_at is not None:
        raise InvalidLink(_("This link has already been used. Sign in instead."))
    return signup


@transaction.atomic
def verify(*, tenant: Tenant, token: str) -> Verified:
    """The owner of the address follows the link: the address is proved, and the tenant's
    joining rules decide (active, pending approval, or refused)."""
    signup = find_sign_up(tenant=tenant, token=token)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.verified_at is not None:  # the same link, followed twice at once
        raise InvalidLink(_("This link has already been used. Sign in instead."))
    now = timezone.now()
    signup.verified_at = now
    user = signup.user or User.objects.filter(email__iexact=signup.email).first()
    result = None
    if user is None:
        # A new person: the account is made only if a rule lets them in.
        from .services import joining_outcome

        outcome = joining_outcome(tenant=tenant, email=signup.email)
        if outcome.outcome == "refused":
            result = Verified("refused", outcome.reason, None, None)
        else:
            user = User.objects.create_user(
                email=signup.email, name=signup.name, email_verified_at=now
            )
            user.password = signup.password
            user.save(update_fields=["password"])
    elif not user.email_verified:
        user.email_verified_at = now
        user.save(update_fields=["email_verified_at"])
    if result is None:
        if _membership_of(tenant, user) is not None:
            raise InvalidLink(_("You already belong to %(tenant)s.") % {"tenant": tenant.name})
        outcome, membership = join_as_user(tenant=tenant, user=user)
        result = Verified(outcome.outcome, outcome.reason, user, membership)
    signup.outcome = result.status
    signup.password = ""  # kept only until the account exists, or the sign-up is turned down
    signup.save(update_fields=["verified_at", "outcome", "password"])
    return result


def forget_stale_sign_ups() -> int:
    """Sign-ups whose links can no longer work go, with the password hashes they kept. A link
    sent again late works up to twice the lifetime after the sign-up: keep them that long."""
    moment = timezone.now() - timedelta(hours=2 * settings.SIGNUP_LINK_HOURS)
    deleted, _by_model = SignUp.objects.unused_since(moment).delete()
    return deleted
