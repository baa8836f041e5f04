"""Benchmarks: scripts that start what they need and print their figures (not tests)."""
