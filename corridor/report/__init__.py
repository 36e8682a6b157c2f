"""Self-contained HTML reports of runs and ensembles (figures embedded, no network needed)."""
