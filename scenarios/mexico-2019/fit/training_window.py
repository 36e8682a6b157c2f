"""The training window that the flagship's fits look at, shared by the fit scripts.

Fits see only October 2018 - May 2019 (docs/flagship.md, "Validation protocol"): a fit compiles
the scenario up to 31 May 2019 (August and September 2018 are warm-up) and sums its outputs over
the days of the training months.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from corridor.compile.corridor import CorridorModel, compile_corridor

TRAINING = ("2018-10", "2019-05")  # the months fitted (inclusive)
TRAIN_END = dt.date(2019, 5, 31)


def training_model(sc) -> tuple[CorridorModel, np.ndarray]:  # type: ignore[no-untyped-def]
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
