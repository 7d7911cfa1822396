"""Claims from the profiles file, read at each token request (tests change it between two
sign-ins), and ID tokens spoiled on purpose for users with a ``mode``."""

import json
import os
import time
from pathlib import Path

from django.db import transaction
from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

# Not the provider's key: a forger's. Its tokens carry the provider's key id all the same.
FORGER_KEY = jwk.JWK.generate(kty="RSA", size=2048)


def profile_of(user) -> dict:
    profiles = json.loads(Path(os.environ["OIDC_PROVIDER_PROFILES"]).read_text())
    return profiles["users"][user.username]


class ProfileValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "profile"}

    def get_additional_claims(self, request):
        profile = profile_of(request.user)
        return {
            "email": profile["email"],
            "email_verified": profile.get("email_verified", True),
            "name": profile.get("name", ""),
            "groups": profile.get("groups", []),
        }

    def finalize_id_token(self, id_token, token, token_handler, request):
        mode = profile_of(request.user).get("mode", "")
        if not mode:
            return super().finalize_id_token(id_token, token, token_handler, request)
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        key = request.client.jwk_key
        if mode == "expired":
            id_token["iat"] = int(time.time()) - 7200
            id_token["exp"] = int(time.time()) - 3600
        elif mode == "wrong_audience":
            id_token["aud"] = "another-client"
        elif mode == "forged":
            key = FORGER_KEY
        header = {"typ": "JWT", "alg": "RS256", "kid": request.client.jwk_key.thumbprint()}
        signed = jwt.JWT(header=json.dumps(header), claims=json.dumps(id_token, default=str))
        signed.make_signed_token(key)
        with transaction.atomic():
            saved = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = saved
        request.id_token = saved
        return signed.serialize()
