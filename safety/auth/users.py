"""The user types: the AUTH_USER_MODEL class for annotations, and the signed-in user of a request."""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

if TYPE_CHECKING:
    # django-stubs' plugin resolves these aliases to the model that settings.AUTH_USER_MODEL names.
    from django.contrib.auth.models import _AnyUser as AnyUser
    from django.contrib.auth.models import _User as User
else:
    # Annotations are not checked at run time; the abstract base stands for the configured model.
    from django.contrib.auth.models import AbstractBaseUser as User

    AnyUser = User | AnonymousUser

__all__ = ["AnyUser", "User", "request_user"]


def request_user(request: HttpRequest | Request) -> User:
    """The signed-in user of a request to a view that requires sign-in (IsAuthenticated, login_required).

    An anonymous request, which such views never let through, raises NotAuthenticated (API) or
    PermissionDenied (pages).
    """
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated() if isinstance(request, Request) else PermissionDenied()
    return user
