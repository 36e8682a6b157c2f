"""Validation: simulated against observed, with the metric of each scenario family."""
