"""Production settings: `check --deploy` is clean with the required environment; nothing secret has a default."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides: str | None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "safety.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "osc.example.go.kr",
        "OSC_DATA_KEYS": f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgis://postgres@127.0.0.1:5432/osc"),
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_required_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output and "ERRORS" not in output


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "OSC_DATA_KEYS", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    result = manage("check", env=production_env(**{missing: None}))
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_keys_that_are_not_fernet_keys():
    result = manage("check", "--deploy", env=production_env(OSC_DATA_KEYS="not-a-key"))
    assert result.returncode != 0
    assert "safety.E001" in result.stderr + result.stdout


def test_production_uses_the_environment_keys_only():
    key = Fernet.generate_key().decode()
    script = (
        "from django.conf import settings; "
        "print(settings.OSC_DATA_KEYS, settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    )
    result = manage("shell", "-c", script, env=production_env(OSC_DATA_KEYS=key))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"['{key}'] False True"
