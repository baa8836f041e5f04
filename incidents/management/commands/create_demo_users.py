"""Create the demo users (one per role, and staff of a few missions)."""

import os
from typing import Any

from django.core.management.base import BaseCommand

from incidents.demo.users import DEMO_USERS, demo_channels_ensure, demo_users_ensure


class Command(BaseCommand):
    help = "Create or update demo users; the password comes from --password or OSC_DEMO_PASSWORD."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", default=os.environ.get("OSC_DEMO_PASSWORD", "osc-demo-2026"))

    def handle(self, *args: Any, **options: Any) -> None:
        demo_users_ensure(password=options["password"])
        for demo in DEMO_USERS:
            where = f" @ {demo.mission_code}" if demo.mission_code else ""
            self.stdout.write(f"  {demo.username:<12} {demo.role.label}{where}")
        self.stdout.write(f"demo users ready (password: {options['password']})")
        for channel in demo_channels_ensure():
            self.stdout.write(
                f"  demo alert channel {channel.mission.code} {channel.kind} {channel.email or channel.url}"
            )
