"""Celery entry points of accounts: ids in, one service call each."""

from celery import shared_task

from .models import Invitation, Tenant, User
from .services import send_invitation, send_registration_decision


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_invitation_task(invitation_id: int, token: str) -> None:
    invitation = (
        Invitation.objects.select_related("tenant", "role").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.status != "open":  # withdrawn or used meanwhile
        return
    send_invitation(invitation=invitation, token=token)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_registration_decision_task(tenant_id: int, user_id: int, approved: bool) -> None:
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    user = User.objects.filter(pk=user_id).first()
    if tenant is None or user is None:
        return
    send_registration_decision(tenant=tenant, user=user, approved=approved)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_sign_up_mail_task(signup_id: int, token: str) -> None:
    from .models import SignUp
    from .verification import send_sign_up_mail

    signup = SignUp.objects.select_related("tenant").filter(pk=signup_id).first()
    if signup is None or signup.verified_at is not None:  # followed meanwhile
        return
    send_sign_up_mail(signup=signup, token=token)


@shared_task
def forget_stale_sign_ups_task() -> int:
    from .verification import forget_stale_sign_ups

    return forget_stale_sign_ups()


@shared_task
def expire_memberships_task() -> int:
    from .services import expire_memberships

    return expire_memberships()


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_two_factor_reset_mail_task(tenant_id: int, user_id: int, by_id: int) -> None:
    from .services import send_two_factor_reset_mail

    tenant = Tenant.objects.filter(pk=tenant_id).first()
    user = User.objects.filter(pk=user_id).first()
    by = User.objects.filter(pk=by_id).first()
    if tenant is None or user is None or by is None:
        return
    send_two_factor_reset_mail(tenant=tenant, user=user, by=by)
