"""The roles of the product, as auth groups, checked in one place."""

from django.contrib.auth.models import Group
from django.db import models

from safety.auth.users import AnyUser, User


class Role(models.TextChoices):
    OPERATOR = "operator", "Call-center operator"
    MISSION_STAFF = "mission_staff", "Mission staff"
    DUTY_OFFICER = "duty_officer", "HQ duty officer"
    PRESENTER = "presenter", "Plenary presenter"
    ADMIN = "admin", "Administrator"


def roles_of(user: AnyUser) -> frozenset[Role]:
    """The roles a user holds; a superuser holds the admin role. Cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_osc_roles", None)
    if cached is not None:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    roles = {role for role in Role if role.value in names}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    result = frozenset(roles)
    user.__dict__["_osc_roles"] = result  # an instance attribute the model does not declare
    return result


def has_role(user: AnyUser, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def sees_all_cases(user: AnyUser) -> bool:
    """Operators, duty officers and admins see every case; mission staff only their district."""
    return has_role(user, Role.OPERATOR, Role.DUTY_OFFICER, Role.ADMIN)


def may_read_personal_data(user: AnyUser) -> bool:
    return has_role(user, Role.OPERATOR, Role.DUTY_OFFICER, Role.ADMIN, Role.MISSION_STAFF)


def role_groups_ensure() -> None:
    """Create the role groups if missing (idempotent)."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def user_role_grant(*, user: User, role: Role) -> None:
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    if hasattr(user, "_osc_roles"):
        del user._osc_roles
