"""The training window that the flagship's fits look at, shared by the fit scripts.

Fits see only October 2018 - May 2019 (docs/flagship.md, "Validation protocol"): a fit compiles
the scenario up to 31 May 2019 (August and September 2018 are warm-up) and sums its outputs over
the days of the training months.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from corridor.compile.corridor import CorridorModel, compile_corridor

if TYPE_CHECKING:
    from corridor.scenario.native.model import CorridorScenario

TRAINING = ("2018-10", "2019-05")  # the months fitted (inclusive)
TRAIN_END = dt.date(2019, 5, 31)


def training_model(sc: CorridorScenario) -> tuple[CorridorModel, np.ndarray]:
    """``sc`` compiled up to the end of the training window, and per day whether it falls in
    a training month."""
    days = (TRAIN_END - sc.spec.start_date).days + 1
    model = compile_corridor(sc, days=days)
    months = (
        (np.datetime64(model.start_date) + np.arange(model.days))
        .astype("datetime64[M]")
        .astype(str)
    )
    return model, (months >= TRAINING[0]) & (months <= TRAINING[1])


def round_arguments(
    description: str, seeds: int, rounds: int, damping: float
) -> argparse.Namespace:
    """The command line of a fit done in rounds on the training window: seeds per round, rounds,
    the damping of each round's step, and whether to write the result into the scenario."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--seeds", type=int, default=seeds)
    ap.add_argument("--rounds", type=int, default=rounds)
    ap.add_argument("--damping", type=float, default=damping)
    ap.add_argument("--write", action="store_true")
    return ap.parse_args()


def damped_step(
    values: dict[str, float],
    observed: dict[str, float],
    simulated: dict[str, float],
    damping: float,
) -> dict[str, float]:
    """One round of a multiplicative fit: each value times (observed / simulated) ** damping,
    unchanged where nothing was simulated (the ratio is undefined there)."""
    return {
        k: v * (observed[k] / simulated[k]) ** damping if simulated[k] > 0 else v
        for k, v in values.items()
    }
