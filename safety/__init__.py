"""Project package and shared kernel of the Overseas Safety Center."""

from safety.celery import app as celery_app

__all__ = ["celery_app"]
