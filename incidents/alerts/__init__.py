"""Alerts of cases: outbox rows, delivery per channel, acknowledgment, escalation and CAP 1.2."""
