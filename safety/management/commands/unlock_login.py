"""Lift the login lockout of a username before it expires (written to the audit log)."""

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from safety.auth.lockout import login_is_locked, login_unlock
from safety.models import AuditAction
from safety.privacy.audit import audit_record


class Command(BaseCommand):
    help = "Clear the failed-login count and lock of a username."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        was_locked = login_is_locked(username=username)
        login_unlock(username=username)
        audit_record(
            actor=None,
            action=AuditAction.LOGIN_UNLOCKED,
            object_type="login",
            object_ref=username[:64],
            detail={"was_locked": was_locked, "os_user": getpass.getuser()},
        )
        self.stdout.write(f"{username}: {'unlocked' if was_locked else 'was not locked; failure count cleared'}")
