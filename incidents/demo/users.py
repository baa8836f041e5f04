"""Demo users, one per role, for `make run` and the browser tests."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from missions.models import ChannelKind, Membership, MembershipRole, Mission, MissionChannel
from safety.auth.roles import Role, role_groups_ensure, user_role_grant
from safety.auth.users import User


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    mission_code: str | None = None


# The demo alert channels of emb-th-bangkok: the local sinks of `make run` (incidents.demo.sinks).
DEMO_CHANNEL_MISSION = "emb-th-bangkok"
DEMO_EMAIL = "consular.bangkok@osc.example"
DEMO_WEBHOOK_URL = "http://127.0.0.1:8025/osc-alerts"
DEMO_WEBHOOK_SECRET = "osc-demo-webhook-secret"  # noqa: S105 - a demo sink on loopback, not a credential

DEMO_USERS = (
    DemoUser("operator", Role.OPERATOR),
    DemoUser("duty", Role.DUTY_OFFICER),
    DemoUser("presenter", Role.PRESENTER),
    DemoUser("admin", Role.ADMIN),
    DemoUser("bangkok", Role.MISSION_STAFF, "emb-th-bangkok"),
    DemoUser("tokyo", Role.MISSION_STAFF, "emb-jp-tokyo"),
    DemoUser("osaka", Role.MISSION_STAFF, "cg-jp-osaka"),
    DemoUser("washington", Role.MISSION_STAFF, "emb-us-washington"),
    DemoUser("losangeles", Role.MISSION_STAFF, "cg-us-los-angeles"),
)


@transaction.atomic
def demo_users_ensure(*, password: str) -> list[User]:
    """Create or update the demo users with the given password (idempotent)."""
    role_groups_ensure()
    model = get_user_model()
    users = []
    for demo in DEMO_USERS:
        user, _ = model.objects.get_or_create(
            username=demo.username, defaults={"email": f"{demo.username}@osc.example"}
        )
        user.set_password(password)
        user.is_staff = demo.role == Role.ADMIN
        user.is_superuser = demo.role == Role.ADMIN
        user.save()
        user_role_grant(user=user, role=demo.role)
        if demo.mission_code:
            mission = Mission.objects.get(code=demo.mission_code)
            Membership.objects.get_or_create(user=user, mission=mission, defaults={"role": MembershipRole.STAFF})
        users.append(user)
    return users


@transaction.atomic
def demo_channels_ensure() -> list[MissionChannel]:
    """Give the demo mission an e-mail and a webhook channel pointing at the local sinks (idempotent)."""
    mission = Mission.objects.get(code=DEMO_CHANNEL_MISSION)
    email, _ = MissionChannel.objects.update_or_create(
        mission=mission, kind=ChannelKind.EMAIL, email=DEMO_EMAIL, url="", defaults={"name": "demo consular desk"}
    )
    hook, _ = MissionChannel.objects.update_or_create(
        mission=mission,
        kind=ChannelKind.WEBHOOK,
        email="",
        url=DEMO_WEBHOOK_URL,
        defaults={"name": "demo webhook sink", "secret": DEMO_WEBHOOK_SECRET},
    )
    return [email, hook]
