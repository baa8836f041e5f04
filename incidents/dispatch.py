"""Hand work to the broker by task name: the one door from the services to celery.

Callers never import a task module (no import circle, no function-level import): they name the
task. A broker outage is logged, never raised: everything enqueued here is already in the
database (the alert outbox, a case pending geocoding), and a periodic sweep sends again what
the broker never got. The queue of each task is set by `CELERY_TASK_ROUTES` in the settings.
"""

import logging
from datetime import datetime
from typing import Any

from celery import current_app
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, RedisError, ConnectionError, TimeoutError)


def enqueue(task_name: str, *, task_id: str | None = None, eta: datetime | None = None, **kwargs: Any) -> bool:
    """Send `task_name(**kwargs)`; True if the broker took it, False (logged) if it was unreachable."""
    try:
        current_app.send_task(task_name, kwargs=kwargs, task_id=task_id, eta=eta, retry=False)
    except BROKER_ERRORS as exc:
        logger.warning("broker unavailable, %s(%s) left to the sweep: %s", task_name, kwargs, exc)
        return False
    return True
