"""DRF authentication by API token (`Authorization: Token <key>` or `Bearer <key>`), with scopes.

A read-scope token may only make safe requests (GET, HEAD, OPTIONS); the check lives in the
authentication class, so it holds whatever permission classes a view sets.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from safety.auth.tokens import token_authenticate
from safety.models import ApiToken, TokenScope

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
KEYWORDS = (b"token", b"bearer")


class InsufficientScope(exceptions.PermissionDenied):
    default_detail = "This token has the read scope: it cannot change anything."
    default_code = "insufficient_scope"


class ScopedTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[AbstractBaseUser, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token header.") from exc
        token = token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        if token.scope == TokenScope.READ and request.method not in SAFE_METHODS:
            raise InsufficientScope()
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ScopedTokenScheme(OpenApiAuthenticationExtension):
    """OpenAPI description of the token scheme."""

    target_class = "safety.auth.authentication.ScopedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'API token: "Token <key>" (scope read: GET only; write: everything your role allows).',
        }
