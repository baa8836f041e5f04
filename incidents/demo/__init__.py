"""Demo data in one place: synthetic cases, the demo users and channels, local alert sinks."""
