"""Writes of incidents: logging a case, changing it, adding persons and callers.

Every function runs in one transaction and appends timeline events for what it changed.
The modules: `intake` (logging, re-geocoding), `placement` (location, routing, reassignment),
`casework` (changes, notes), `persons` (persons and callers); the timeline writer sits below,
in `incidents.timeline`.
"""

from incidents.services.casework import (
    NOTE_MAX,
    UPDATABLE_FIELDS,
    incident_update,
    note_add,
)
from incidents.services.intake import incident_log, incident_regeocode, incidents_pending_geocode
from incidents.services.persons import CallerInput, PersonInput, caller_add, person_add, person_status_change
from incidents.services.placement import (
    GEOCODE_PENDING,
    GEOCODE_SOURCE_MANUAL,
    GEOCODE_SOURCE_PIN,
    MANUAL_REASON_PREFIX,
    REASSIGN_REASON_MAX,
    IntakeLocation,
    Placement,
    incident_locate,
    incident_location_correct,
    incident_place,
    incident_reassign,
    placement_record,
)
from incidents.timeline import timeline_append

__all__ = [
    "GEOCODE_PENDING",
    "GEOCODE_SOURCE_MANUAL",
    "GEOCODE_SOURCE_PIN",
    "MANUAL_REASON_PREFIX",
    "REASSIGN_REASON_MAX",
    "Placement",
    "NOTE_MAX",
    "UPDATABLE_FIELDS",
    "CallerInput",
    "IntakeLocation",
    "PersonInput",
    "caller_add",
    "incident_locate",
    "incident_location_correct",
    "incident_place",
    "incident_reassign",
    "placement_record",
    "incident_log",
    "incident_regeocode",
    "incident_update",
    "incidents_pending_geocode",
    "note_add",
    "person_add",
    "person_status_change",
    "timeline_append",
]
