"""API tokens of integrations: issue, authenticate, revoke. Keys are random; only their SHA-256 is stored."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from safety.auth.roles import Role, has_role
from safety.auth.users import AnyUser, User
from safety.errors import ApplicationError, NotFound
from safety.models import ApiToken, AuditAction, TokenScope
from safety.privacy.audit import audit_record


class TokenInvalid(ApplicationError):
    code = "token_invalid"


class TokenNotFound(NotFound):
    code = "token_not_found"


def key_hash(key: str) -> str:
    """SHA-256 of a key: keys carry 256 random bits, so a fast hash is enough to make a leaked table useless."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def token_issue(
    *,
    user: User,
    scope: TokenScope | str = TokenScope.READ,
    name: str = "",
    expires_in_days: int | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the key, which is shown this once and never stored."""
    days = settings.OSC_TOKEN_DEFAULT_DAYS if expires_in_days is None else expires_in_days
    if not 1 <= days <= settings.OSC_TOKEN_MAX_DAYS:
        raise TokenInvalid(
            "Expiry out of range.", fields={"expires_in_days": [f"between 1 and {settings.OSC_TOKEN_MAX_DAYS}"]}
        )
    if scope not in TokenScope.values:
        raise TokenInvalid("Unknown scope.", fields={"scope": [f"one of {', '.join(TokenScope.values)}"]})
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_prefix=key[:8],
        key_hash=key_hash(key),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit_record(
        actor=user,
        action=AuditAction.TOKEN_ISSUED,
        object_type="api_token",
        object_ref=str(token.public_id),
        request=request,
        detail={"scope": token.scope, "expires_at": token.expires_at.isoformat(), "name": token.name},
    )
    return token, key


def token_authenticate(*, key: str) -> ApiToken | None:
    """The live token of that key (not revoked, not expired, active user), else None. Marks it used."""
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
    now = timezone.now()
    if token is None or token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_list_of(*, user: AnyUser) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (admins: every token)."""
    tokens = ApiToken.objects.select_related("user")
    if has_role(user, Role.ADMIN):
        return tokens
    return tokens.filter(user_id=user.pk) if user.is_authenticated else tokens.none()


def token_get_for(*, user: AnyUser, public_id: str) -> ApiToken:
    """A token the user may manage (their own; admins: any); TokenNotFound alike otherwise."""
    token = token_list_of(user=user).filter(public_id=public_id).first()
    if token is None:
        raise TokenNotFound("No such token.")
    return token


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: AnyUser, request: HttpRequest | None = None) -> ApiToken:
    """Revoke a token (idempotent: revoking a revoked token changes nothing and audits nothing)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TOKEN_REVOKED,
        object_type="api_token",
        object_ref=str(token.public_id),
        request=request,
        detail={"owner": token.user.get_username()},
    )
    return token
