"""The roles of the product, as auth groups, checked in one place."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.db import models


class Role(models.TextChoices):
    OPERATOR = "operator", "Call-center operator"
    MISSION_STAFF = "mission_staff", "Mission staff"
    DUTY_OFFICER = "duty_officer", "HQ duty officer"
    PRESENTER = "presenter", "Plenary presenter"
    ADMIN = "admin", "Administrator"


UserLike = AbstractBaseUser | AnonymousUser


def roles_of(user: UserLike) -> frozenset[Role]:
    """The roles a user holds; a superuser holds the admin role. Cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_osc_roles", None)
    if cached is not None:
        return cached
    names = set(user.groups.values_list("name", flat=True))  # type: ignore[union-attr]
    roles = {role for role in Role if role.value in names}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    result = frozenset(roles)
    user._osc_roles = result  # type: ignore[union-attr]
    return result


def has_role(user: UserLike, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def sees_all_cases(user: UserLike) -> bool:
    """Operators, duty officers and admins see every case; mission staff only their district."""
    return has_role(user, Role.OPERATOR, Role.DUTY_OFFICER, Role.ADMIN)


def may_read_personal_data(user: UserLike) -> bool:
    return has_role(user, Role.OPERATOR, Role.DUTY_OFFICER, Role.ADMIN, Role.MISSION_STAFF)


def role_groups_ensure() -> None:
    """Create the role groups if missing (idempotent)."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def user_role_grant(*, user: AbstractBaseUser, role: Role) -> None:
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)  # type: ignore[attr-defined]
    if hasattr(user, "_osc_roles"):
        del user._osc_roles
