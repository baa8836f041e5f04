"""Self-service password reset is off: the route does not exist (issue 12 item 9)."""

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/"],
)
def test_password_reset_routes_are_absent(path: str) -> None:
    response = Client().post(path, {"email": "someone@example.org"})
    assert response.status_code == 404


@pytest.mark.django_db
def test_logout_route_still_logs_out() -> None:
    response = Client().post("/accounts/logout/")
    assert response.status_code == 302
