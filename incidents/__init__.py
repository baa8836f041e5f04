"""Cases: incidents, persons, callers, the timeline, alerts and the intake API."""
