"""Two-factor sign-in: adding an authenticator, the second step of a sign-in, recovery codes,
and the limits that slow a guesser of codes as they slow a guesser of passwords."""

import base64

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken
from accounts.two_factor import has_second_factor

from .two_factor_helpers import (
    CODE_URL,
    SETTINGS_URL,
    code_of,
    fresh_code,
    sign_in_with_password,
    signed_in,
    verified,
    with_authenticator,
)


def test_an_authenticator_counts_only_once_a_code_confirms_it(client, alice):
    client.force_login(alice.user)
    assert client.post(SETTINGS_URL, {"action": "start"}).status_code == 302
    page = client.get(SETTINGS_URL)
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=alice.user)
    assert 'src="data:image/svg+xml' in body  # the QR code, drawn by the template's <img>
    assert page["Cache-Control"] == "no-store"
    assert not device.confirmed and not has_second_factor(alice.user)

    wrong = client.post(SETTINGS_URL, {"action": "confirm", "code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and not has_second_factor(alice.user)

    right = client.post(SETTINGS_URL, {"action": "confirm", "code": code_of(device)})

    device.refresh_from_db()
    assert device.confirmed and has_second_factor(alice.user)
    codes = right.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in right.content.decode() for code in codes)
    # Kept as digests only: the database never holds a code one could type.
    stored = set(
        StaticToken.objects.filter(device__user=alice.user).values_list("token", flat=True)
    )
    assert len(stored) == 10 and not stored & ({c.replace("-", "") for c in codes} | set(codes))
    assert verified(client)  # confirming proved the device: this session gave a code
    # Shown once: the page never shows them again.
    again = client.get(SETTINGS_URL).content.decode()
    assert not any(code in again for code in codes)
    assert "10 recovery codes left" in again


def test_the_secret_is_shown_as_text_too(client, alice):
    client.force_login(alice.user)
    client.post(SETTINGS_URL, {"action": "start"})
    page = client.get(SETTINGS_URL)
    secret = page.context["secret"].replace(" ", "")
    device = TOTPDevice.objects.get(user=alice.user)
    assert base64.b32decode(secret) == device.bin_key
    assert page.context["secret"] in page.content.decode()


def test_sign_in_asks_for_the_code_after_the_password(client, alice, password):
    device, _codes = with_authenticator(alice.user)

    response = sign_in_with_password(client, alice.user.email, password)

    assert response.status_code == 302 and response["Location"] == CODE_URL
    assert not signed_in(client)  # a right password alone signs no one in
    assert client.get("/t/acme/workspace/").status_code == 302  # still sent to sign in
    wrong = client.post(CODE_URL, {"code": "123456"})
    assert "That code is not right" in wrong.content.decode()
    assert not signed_in(client)

    right = client.post(CODE_URL, {"code": fresh_code(device)})

    assert right.status_code == 302
    assert signed_in(client) and verified(client)


def test_a_used_code_is_not_accepted_again(client, alice, password):
    device, _codes = with_authenticator(alice.user)
    code = fresh_code(device)
    sign_in_with_password(client, alice.user.email, password)
    client.post(CODE_URL, {"code": code})
    assert signed_in(client)
    client.logout()

    sign_in_with_password(client, alice.user.email, password)
    client.post(CODE_URL, {"code": code})

    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client, alice, password):
    _device, codes = with_authenticator(alice.user)
    sign_in_with_password(client, alice.user.email, password)
    client.post(CODE_URL, {"code": codes[3].upper().replace("-", " ")})  # as typed, roughly
    assert signed_in(client) and verified(client)
    assert StaticToken.objects.filter(device__user=alice.user).count() == 9
    client.logout()

    sign_in_with_password(client, alice.user.email, password)
    again = client.post(CODE_URL, {"code": codes[3]})

    assert not signed_in(client)
    assert "That code is not right" in again.content.decode()


def test_new_recovery_codes_end_the_old_ones(client, alice, password):
    device, old = with_authenticator(alice.user)
    sign_in_with_password(client, alice.user.email, password)
    client.post(CODE_URL, {"code": fresh_code(device)})

    new = client.post(SETTINGS_URL, {"action": "regenerate"}).context["codes"]

    assert len(new) == 10 and not set(new) & set(old)
    client.logout()
    sign_in_with_password(client, alice.user.email, password)
    client.post(CODE_URL, {"code": old[0]})
    assert not signed_in(client)
    client.post(CODE_URL, {"code": new[0]})
    assert signed_in(client)


def test_new_recovery_codes_need_a_session_that_gave_a_code(client, alice):
    with_authenticator(alice.user)
    client.force_login(alice.user)  # e.g. a session from before the authenticator

    response = client.post(SETTINGS_URL, {"action": "regenerate"})

    assert response.status_code == 302 and response["Location"].startswith(CODE_URL)
    assert StaticToken.objects.filter(device__user=alice.user).count() == 10


def test_removing_the_authenticator_asks_for_a_code(client, alice, password):
    device, _codes = with_authenticator(alice.user)
    client.force_login(alice.user)

    wrong = client.post(SETTINGS_URL, {"action": "remove", "remove-code": "999999"})
    assert "That code is not right" in wrong.content.decode()
    assert client.post(SETTINGS_URL, {"action": "remove"}).status_code == 200
    assert has_second_factor(alice.user)

    client.post(SETTINGS_URL, {"action": "remove", "remove-code": fresh_code(device)})

    assert not has_second_factor(alice.user)
    assert not StaticToken.objects.filter(device__user=alice.user).exists()
    client.logout()
    sign_in_with_password(client, alice.user.email, password)
    assert signed_in(client)  # the password alone again


def test_the_second_step_lapses(client, alice, password, settings):
    device, _codes = with_authenticator(alice.user)
    settings.TWO_FACTOR_STEP_SECONDS = -1  # already past
    sign_in_with_password(client, alice.user.email, password)

    response = client.post(CODE_URL, {"code": fresh_code(device)})

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert not signed_in(client)


def test_a_password_changed_meanwhile_ends_the_second_step(client, alice, password):
    device, _codes = with_authenticator(alice.user)
    sign_in_with_password(client, alice.user.email, password)
    alice.user.set_password("another-long-passphrase")
    alice.user.save()

    client.post(CODE_URL, {"code": fresh_code(device)})

    assert not signed_in(client)


def test_code_guessing_is_locked_out_as_password_guessing(client, alice, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    device, codes = with_authenticator(alice.user)
    sign_in_with_password(client, alice.user.email, password)
    for guess in ("111111", "222222"):
        assert "That code is not right" in client.post(CODE_URL, {"code": guess}).content.decode()
    # The right password again clears nothing: it is only half a sign-in.
    assert sign_in_with_password(client, alice.user.email, password)["Location"] == CODE_URL
    client.post(CODE_URL, {"code": "333333"})

    refused = client.post(CODE_URL, {"code": fresh_code(device)})

    assert "Too many failed sign-ins" in refused.content.decode()
    assert not signed_in(client)
    assert "Too many failed sign-ins" in client.post(CODE_URL, {"code": codes[0]}).content.decode()
    assert StaticToken.objects.filter(device__user=alice.user).count() == 10  # none checked


def test_a_wrong_code_counts_towards_the_password_limit(client, alice, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    with_authenticator(alice.user)
    sign_in_with_password(client, alice.user.email, password)
    client.post(CODE_URL, {"code": "111111"})
    client.post("/accounts/login/", {"username": alice.user.email, "password": "wrong"})

    response = client.post("/accounts/login/", {"username": alice.user.email, "password": password})

    assert "Too many failed sign-ins" in response.content.decode()


def test_an_account_without_a_second_factor_signs_in_as_before(client, alice, password):
    response = sign_in_with_password(client, alice.user.email, password)
    assert response.status_code == 302 and signed_in(client)
    assert client.get(CODE_URL).status_code == 302  # nothing to give


def test_the_tokens_page_issues_tokens_only_in_a_session_that_gave_the_code(
    client, alice, password
):
    device, _codes = with_authenticator(alice.user)
    client.force_login(alice.user)

    refused = client.post("/accounts/tokens/", {"name": "ci", "expires_in_days": 7})

    assert "Give your two-factor code first" in refused.content.decode()
    assert not ApiToken.objects.exists()
    client.post(f"{CODE_URL}?next=/accounts/tokens/", {"code": fresh_code(device)})
    assert verified(client)
    client.post("/accounts/tokens/", {"name": "ci", "expires_in_days": 7})
    assert ApiToken.objects.get().second_factor


def test_an_active_authenticator_is_not_replaced_without_its_code(client, alice):
    device, _codes = with_authenticator(alice.user)
    client.force_login(alice.user)  # a session that gave no code

    client.post(SETTINGS_URL, {"action": "start"})
    client.post(SETTINGS_URL, {"action": "confirm", "code": "123456"})

    assert list(TOTPDevice.objects.filter(user=alice.user)) == [device]
