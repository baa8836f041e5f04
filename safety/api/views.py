"""Kernel API views: obtain, list and revoke API tokens; describe the current user."""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safety.api.fields import UTCDateTimeField
from safety.api.throttling import ScopedRateThrottle
from safety.auth.backends import login_wait_of, login_was_locked
from safety.auth.roles import roles_of
from safety.auth.tokens import token_get_for, token_issue, token_list_of, token_revoke
from safety.errors import ApplicationError
from safety.models import TokenScope


class InvalidCredentials(ApplicationError):
    code = "invalid_credentials"
    status_code = 400


class LoginLocked(ApplicationError):
    code = "login_locked"
    status_code = 429


class TokenOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    key_prefix = serializers.CharField()
    scope = serializers.CharField()
    created_at = UTCDateTimeField()
    expires_at = UTCDateTimeField()
    revoked_at = UTCDateTimeField(allow_null=True)
    last_used_at = UTCDateTimeField(allow_null=True)
    user = serializers.CharField(source="user.username")


class TokenObtainApi(APIView):
    """Exchange a username and password for a new API token (scope `read` unless asked; expires).

    The key is in this answer only: the server keeps its hash. Throttled (scope `login`) and
    behind the login lockout.
    """

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
    audit_writes = False  # token_issue and the lockout backend audit this endpoint themselves

    class TokenObtainInputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, trim_whitespace=False)
        scope = serializers.ChoiceField(choices=TokenScope.choices, required=False, default=TokenScope.READ)
        name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        expires_in_days = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)

        def validate_expires_in_days(self, value: int | None) -> int | None:
            if value is not None and value > settings.OSC_TOKEN_MAX_DAYS:
                raise serializers.ValidationError(f"at most {settings.OSC_TOKEN_MAX_DAYS} days")
            return value

    class TokenIssuedOutputSerializer(TokenOutputSerializer):
        token = serializers.CharField()

    @extend_schema(request=TokenObtainInputSerializer, responses={200: TokenIssuedOutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.TokenObtainInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = authenticate(request, username=values["username"], password=values["password"])
        if user is None:
            if login_was_locked(request):
                raise LoginLocked(
                    gettext("Too many failed logins: locked for %(seconds)s seconds, then try again.")
                    % {"seconds": login_wait_of(request)}
                )
            raise InvalidCredentials("Username or password is wrong.")
        token, key = token_issue(
            user=user,
            scope=values["scope"],
            name=values["name"],
            expires_in_days=values["expires_in_days"],
            request=request,
        )
        body = {**TokenOutputSerializer(token).data, "token": key}
        return Response(body, status=status.HTTP_200_OK)


class TokenListApi(APIView):
    """The signed-in user's API tokens (administrators: all), without their keys."""

    @extend_schema(responses={200: TokenOutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(TokenOutputSerializer(token_list_of(user=request.user), many=True).data)


class TokenRevokeApi(APIView):
    """Revoke a token (idempotent): it stops working at once."""

    audit_writes = False  # token_revoke audits

    @extend_schema(request=None, responses={200: TokenOutputSerializer})
    def post(self, request: Request, public_id: str) -> Response:
        token = token_get_for(user=request.user, public_id=public_id)
        token = token_revoke(token=token, actor=request.user, request=request)
        return Response(TokenOutputSerializer(token).data)


class MeApi(APIView):
    """The signed-in user and their roles."""

    permission_classes = [IsAuthenticated]

    class MeOutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())

    @extend_schema(responses={200: MeOutputSerializer})
    def get(self, request: Request) -> Response:
        body = {
            "username": request.user.get_username(),
            "roles": sorted(r.value for r in roles_of(request.user)),
        }
        return Response(self.MeOutputSerializer(body).data)
