"""Celery tasks of the case core: re-geocoding of the cases whose geocoding failed at intake.

The alert tasks live in `incidents/alerts/tasks.py`, the retention tasks in
`incidents/tasks_retention.py`. Every task takes ids as keyword arguments, acks late and is safe
to run twice; the guarantee of each is in its docstring.
"""

from typing import Any

from celery import shared_task

from incidents.exceptions import GeocoderStillFailing
from incidents.services import incident_regeocode, incidents_pending_geocode

REGEOCODE_MAX_RETRIES = 6


@shared_task(
    name="incidents.regeocode",
    bind=True,
    acks_late=True,
    autoretry_for=(GeocoderStillFailing,),
    max_retries=REGEOCODE_MAX_RETRIES,
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
)
def regeocode(self: Any, *, incident_id: int) -> str | None:
    """Geocode again a case whose geocoding failed at intake.

    Safe to run twice: the service locks the case and exits unless it is still pending. Retries
    (bounded, exponential backoff with jitter) only while a geocoder provider keeps failing;
    after the last retry the case stays pending for the sweep and the duty officer's review.
    """
    incident = incident_regeocode(incident_id=incident_id)
    return incident.reference if incident else None


@shared_task(name="incidents.regeocode_sweep", acks_late=True)
def regeocode_sweep() -> int:
    """Queue `incidents.regeocode` for every case still pending (what the broker never got, or gave up on)."""
    ids = incidents_pending_geocode()
    for incident_id in ids:
        regeocode.delay(incident_id=incident_id)
    return len(ids)
