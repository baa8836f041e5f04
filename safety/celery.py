"""The celery application; workers and beat start from here."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safety.settings.local")

app = Celery("safety")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["incidents.alerts"])  # incidents/alerts/tasks.py: not an installed app of its own
app.autodiscover_tasks(["incidents"], related_name="tasks_retention")
