"""How people respond to what they hear of the journey (docs/model.md, "Departures and
deterrence").

Three responses, each off unless a scenario turns it on:
- deterrence: departures follow, with a lag, the success rate that returnees report;
- the departure cost response: departures follow the perceived cost of the journey from their
  origin, against its usual level;
- the transit cost response: people on the way move on less readily from a place while the
  perceived cost of the road ahead is above its usual level (and more readily while it is below).

The cost responses read :class:`JourneyCost`, which the day loop keeps up to date.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.compile.corridor import CorridorModel
from corridor.engine.corridor_kernels import EV_ARRIVE, EV_DEPORT, EV_REMOVE, EV_STOP

WITHOUT_PAPERS, WITH_PAPERS = 0, 1


class JourneyCost:
    """The perceived cost to go from every place and its mean over the run's days so far, in two
    rows: people without papers (``to_go[0]``, perceived interception priced in) and people with
    them (``to_go[1]``: Mexicans, and those released with papers, whom Mexico's migration
    enforcement does not stop, so a crackdown does not make their journey dearer).

    The day loop writes row 0 when it computes the choice weights and row 1 from the route costs
    without perceived interception (``day_phases._price_with_papers``), then calls
    :meth:`end_of_costs` once per day."""

    def __init__(self, n_place: int, n_edge: int) -> None:
        self.to_go = np.full((2, n_place), np.nan)
        self.total = np.zeros((2, n_place))
        self.days = 0
        # Row 1's route costs, and the costs its cost to go was last computed from.
        self.cost_with_papers = np.zeros(n_edge)
        self.hazard_scratch = np.zeros(n_edge)
        self.key_with_papers = np.full(n_edge, np.nan)
        self.weights_with_papers = np.zeros(4)

    def end_of_costs(self) -> None:
        """Add the day's cost to go to the running totals."""
        self.total += self.to_go
        self.days += 1

    def gap(self) -> np.ndarray:
        """V - V_mean per row and place: 0 where no goal is in reach, or was not on some day so
        far (the mean is then undefined), and before the first day."""
        if self.days == 0:
            return np.zeros_like(self.to_go)
        with np.errstate(invalid="ignore"):
            g = self.to_go - self.total / self.days
        return np.where(np.isfinite(g), g, 0.0)


def departure_multiplier(
    beta: float, journey: JourneyCost, origin: np.ndarray, papers_row: np.ndarray
) -> np.ndarray:
    """Departure multiplier per departure row: exp(-beta (V - V_mean)) at the row's origin, V
    yesterday's cost to go for the row's papers (``papers_row`` 0 or 1) and V_mean its mean over
    the days before today."""
    return np.exp(-beta * journey.gap()[papers_row, origin])


def move_chances(
    beta: float,
    journey: JourneyCost | None,
    base: np.ndarray,
    responsive: np.ndarray,
    out: np.ndarray,
) -> None:
    """``out[row, place]``: today's chance that someone with (row 1) or without (row 0) papers
    moves on from the place: ``base`` (the place kind's chance) times exp(-beta (V - V_mean)) at
    ``responsive`` places, at most 1, with V today's cost to go and V_mean its mean up to today.
    Elsewhere (origins, whose departures have their own response) it is ``base``."""
    out[:] = base
    if beta > 0 and journey is not None:
        factor = np.exp(-beta * journey.gap()[:, responsive])
        out[:, responsive] = np.minimum(base[responsive] * factor, 1.0)


@nb.njit(cache=True)
def add_outcomes(events: np.ndarray, before: np.ndarray, after: np.ndarray) -> None:
    """``after`` = ``before`` plus the day's journeys ending in the US (row 0) and in a return,
    removal or giving up (row 1), by nationality. A compiled loop over the day's events by place:
    NumPy's sum over places, with its conversion to 64 bits, cost 20-30 µs a day."""
    for j in range(events.shape[2]):
        after[0, j] = before[0, j]
        after[1, j] = before[1, j]
    for p in range(events.shape[0]):
        for j in range(events.shape[2]):
            after[0, j] += events[p, EV_ARRIVE, j]
            after[1, j] += events[p, EV_DEPORT, j] + events[p, EV_REMOVE, j] + events[p, EV_STOP, j]


def deterrence(m: CorridorModel, outcomes: np.ndarray, t: int, n_nat: int) -> np.ndarray:
    """Departure multiplier per nationality: (recent success share / long-run share) ** elasticity,
    as returnees report it with a lag (docs/model.md, "Departures and deterrence"). ``outcomes``
    holds the cumulative successes and failures before each day (see :func:`add_outcomes`)."""
    eps = m.params["deterrence_elasticity"][t]
    if eps <= 0:
        return np.ones(n_nat)
    lag = int(m.params["deterrence_lag_days"][t])
    end = t - lag
    if end < 31:
        return np.ones(n_nat)
    ok = outcomes[end, 0].astype(np.float64)
    bad = outcomes[end, 1]
    ok_r = (outcomes[end, 0] - outcomes[end - 30, 0]).astype(np.float64)
    bad_r = outcomes[end, 1] - outcomes[end - 30, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        s_ref = ok / (ok + bad)
        s_now = ok_r / (ok_r + bad_r)
        mult = (s_now / s_ref) ** eps
    return np.where(np.isfinite(mult) & (ok + bad > 0) & (ok_r + bad_r > 0), mult, 1.0)
