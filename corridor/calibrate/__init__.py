"""Calibration and sensitivity: fit named settings to observed data, and see which ones matter.

``calibrate`` (optuna TPE, or pyabc ABC-SMC for a posterior) fits on a training window and reports
a held-back window separately; ``sensitivity`` runs a SALib design (Sobol or Morris) as an
ensemble. Fitted settings are saved as overlays (``load_overlay``). See docs/ensembles.md.
"""

from corridor.calibrate.fit import Calibration, calibrate
from corridor.calibrate.objectives import (
    FleeError,
    Objective,
    SeriesError,
    Window,
    choose_objective,
    split_windows,
)
from corridor.calibrate.overlay import load_overlay, write_overlay
from corridor.calibrate.sensitivity import Sensitivity, sensitivity

__all__ = [
    "Calibration",
    "FleeError",
    "Objective",
    "Sensitivity",
    "SeriesError",
    "Window",
    "calibrate",
    "choose_objective",
    "load_overlay",
    "sensitivity",
    "split_windows",
    "write_overlay",
]
