"""Login forms that tell a locked-out user to wait (the message is the same for unknown usernames)."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from safety.auth.backends import login_was_locked


def _locked_error() -> forms.ValidationError:
    minutes = max(1, settings.OSC_LOGIN_LOCKOUT_S // 60)
    return forms.ValidationError(
        f"Too many failed logins: this account or address is locked for {minutes} minutes.", code="login_locked"
    )


class LockoutAuthenticationForm(AuthenticationForm):
    def get_invalid_login_error(self) -> forms.ValidationError:
        return _locked_error() if login_was_locked(self.request) else super().get_invalid_login_error()


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    def get_invalid_login_error(self) -> forms.ValidationError:
        return _locked_error() if login_was_locked(self.request) else super().get_invalid_login_error()
