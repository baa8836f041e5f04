"""Login forms that tell a locked-out user to wait (the message is the same for unknown usernames)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext

from safety.auth.backends import login_wait_of, login_was_locked


def _locked_error(request: object) -> forms.ValidationError:
    return forms.ValidationError(
        gettext("Too many failed logins: locked for %(seconds)s seconds, then try again.")
        % {"seconds": login_wait_of(request)},
        code="login_locked",
    )


class LockoutAuthenticationForm(AuthenticationForm):
    def get_invalid_login_error(self) -> forms.ValidationError:
        return _locked_error(self.request) if login_was_locked(self.request) else super().get_invalid_login_error()


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    def get_invalid_login_error(self) -> forms.ValidationError:
        return _locked_error(self.request) if login_was_locked(self.request) else super().get_invalid_login_error()
