"""Compile a validated scenario into flat arrays and day-by-day schedules for the engine."""
