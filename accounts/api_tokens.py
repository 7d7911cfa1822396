"""The API's own door: trade an e-mail and password for a token; list and revoke one's tokens."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.throttles import ScopedThrottle

from . import signin
from .models import ApiToken
from .tokens import issue_token, revoke_token, token_status
from .two_factor import has_second_factor


class TokenInput(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    expires_in_days = serializers.IntegerField(required=False, min_value=1)
    otp = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="For an account with two-factor sign-in: the code its authenticator app "
        "shows now, or one of its recovery codes.",
    )

    def validate_expires_in_days(self, value):
        if value > settings.API_TOKEN_MAX_DAYS:
            raise serializers.ValidationError(
                _("At most %(days)s days.") % {"days": settings.API_TOKEN_MAX_DAYS}
            )
        return value


class TokenOutput(serializers.Serializer):
    token = serializers.CharField(help_text="The key: shown this once, never again.")
    id = serializers.IntegerField()
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ObtainTokenView(APIView):
    """Trade an e-mail and password for a new API token (each call issues another one)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=TokenInput,
        responses={200: TokenOutput},
        description="An account with two-factor sign-in needs its code too, as `otp`: "
        "without it (or with a wrong one) the answer is 400 naming `otp`, and no token.",
    )
    def post(self, request):
        payload = TokenInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            user = signin.authenticate(request, email=data["email"], password=data["password"])
        except signin.SignInRefused as refused:
            raise Throttled(
                wait=refused.wait,
                detail=_("Too many failed sign-ins. Wait %(minutes)s minutes and try again.")
                % {"minutes": refused.minutes},
            ) from None
        if user is None:
            return Response(
                {"detail": _("That e-mail and password do not match an account.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        second_factor = has_second_factor(user)
        if second_factor:
            refusal = self._second_factor(request, user, data.get("otp", ""))
            if refusal is not None:
                return refusal
        token, key = issue_token(
            user=user,
            name=data.get("name", ""),
            days=data.get("expires_in_days"),
            second_factor=second_factor,
        )
        return Response(
            {"token": key, "id": token.pk, "name": token.name, "expires_at": token.expires_at}
        )

    def _second_factor(self, request, user, code: str) -> Response | None:
        """None when the code is right; else the 400 saying that one is needed or wrong."""
        if not code.strip():
            return Response(
                {"otp": [_("This account uses two-factor sign-in: send its code as “otp”.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            device = signin.verify_second_factor(request, user=user, code=code)
        except signin.SignInRefused as refused:
            raise Throttled(
                wait=refused.wait,
                detail=_("Too many failed sign-ins. Wait %(minutes)s minutes and try again.")
                % {"minutes": refused.minutes},
            ) from None
        if device is None:
            return Response(
                {"otp": [_("That code is not right. Try the one shown now.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return None


class ApiTokenSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(
        help_text='"active", "revoked", "expired" or "password_changed"'
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "status",
        ]
        read_only_fields = fields

    def get_status(self, token) -> str:
        return token_status(token)


class ApiTokenListView(generics.ListAPIView):
    """The caller's own API tokens, newest first; never their keys."""

    serializer_class = ApiTokenSerializer

    queryset = ApiToken.objects.none()  # for the schema; the real one is the caller's

    def get_queryset(self):
        return ApiToken.objects.of(self.request.user).select_related("user")


class ApiTokenDetailView(APIView):
    """Revoke one of the caller's tokens: it stops working at once."""

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        token = get_object_or_404(ApiToken.objects.of(request.user), pk=pk)
        revoke_token(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
