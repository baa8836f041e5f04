"""Hand alert work to the broker by task name; a broker outage is logged, never raised.

Everything enqueued here is already in the database (the outbox), so a message the broker
never got is sent again by the sweeper (`incidents.sweep_alerts`) or the escalation auditor.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.utils import timezone
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BROKER_ERRORS = (OperationalError, RedisError, ConnectionError, TimeoutError)


def _send(name: str, *, kwargs: dict[str, Any], task_id: str | None = None, eta: datetime | None = None) -> bool:
    try:
        current_app.send_task(name, kwargs=kwargs, task_id=task_id, eta=eta, retry=False)
    except BROKER_ERRORS as exc:
        logger.warning("broker unavailable, %s(%s) left to the sweeper: %s", name, kwargs, exc)
        return False
    return True


def enqueue_alert_delivery(*, alert_id: int) -> bool:
    return _send("incidents.deliver_alert", kwargs={"alert_id": alert_id})


def enqueue_channel_delivery(*, delivery_id: int, countdown_s: float | None = None) -> bool:
    eta = timezone.now() + timedelta(seconds=countdown_s) if countdown_s else None
    return _send("incidents.deliver_alert_channel", kwargs={"delivery_id": delivery_id}, eta=eta)


def enqueue_escalation_step(*, alert_id: int, token: str, eta: datetime | None) -> bool:
    """The step carries the alert's token as its task id: a step with any other id does nothing."""
    return _send("incidents.escalate_alert", kwargs={"alert_id": alert_id}, task_id=token, eta=eta)
