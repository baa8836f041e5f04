"""Missions, their consular districts, staff memberships, channels and routing."""
