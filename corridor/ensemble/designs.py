"""SALib designs: the parameter matrix a sensitivity analysis needs, as ensemble replicas.

A design is drawn once, deterministically, from the ensemble's seed (``derived_seed``), so an
interrupted sensitivity run resumes onto the same matrix. Each design row is run with the same
``seeds_per_row`` model seeds (common random numbers): the differences between rows are then the
parameters' doing, not the dice's, which is what Sobol and Morris indices assume.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from corridor.errors import CorridorError

METHODS = ("sobol", "morris")
DESIGN_PURPOSE = 1  # derived_seed branch for SALib designs
MORRIS_LEVELS = 4


@dataclass(frozen=True)
class ParamRange:
    """A named setting and the interval it is explored (or fitted) over."""

    name: str
    low: float
    high: float

    def text(self) -> str:
        return f"{self.name}={self.low}:{self.high}"


def parse_range(text: str) -> ParamRange:
    """``distance_power=0.5:1.0`` -> ParamRange."""
    name, sep, rest = text.partition("=")
    low, sep2, high = rest.partition(":")
    try:
        lo, hi = float(low), float(high)
    except ValueError:
        lo = hi = float("nan")
    if not sep or not sep2 or not name.strip() or not lo < hi:
        raise CorridorError(f"--param '{text}': expected NAME=LOW:HIGH with LOW < HIGH")
    return ParamRange(name.strip(), lo, hi)


@dataclass(frozen=True)
class Design:
    """A SALib sampling plan over named ranges; ``rows()`` is its matrix."""

    method: str
    params: tuple[ParamRange, ...]
    samples: int
    seed: int
    seeds_per_row: int = 1

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise CorridorError(f"sensitivity method '{self.method}': expected one of {METHODS}")
        if not self.params:
            raise CorridorError("a sensitivity design needs at least one --param")
        if self.samples < 2:
            raise CorridorError(f"--samples must be at least 2 (got {self.samples})")
        if self.seeds_per_row < 1:
            raise CorridorError("--seeds-per-sample must be at least 1")

    def problem(self) -> dict[str, Any]:
        return {
            "num_vars": len(self.params),
            "names": [p.name for p in self.params],
            "bounds": [[p.low, p.high] for p in self.params],
        }

    def rows(self) -> np.ndarray:
        """The design matrix (rows x params), the same for the same design and SALib version."""
        return _rows(self.method, self.params, self.samples, self.seed)

    def as_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "params": [[p.name, p.low, p.high] for p in self.params],
            "samples": self.samples,
            "seed": self.seed,
            "seeds_per_row": self.seeds_per_row,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Design:
        return cls(
            method=data["method"],
            params=tuple(ParamRange(str(n), float(lo), float(hi)) for n, lo, hi in data["params"]),
            samples=int(data["samples"]),
            seed=int(data["seed"]),
            seeds_per_row=int(data["seeds_per_row"]),
        )


@functools.lru_cache(maxsize=8)
def _rows(method: str, params: tuple[ParamRange, ...], samples: int, seed: int) -> np.ndarray:
    problem = {
        "num_vars": len(params),
        "names": [p.name for p in params],
        "bounds": [[p.low, p.high] for p in params],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib warns when N is not a power of 2
        if method == "sobol":
            from SALib.sample import sobol

            x = sobol.sample(problem, samples, calc_second_order=False, seed=seed)
        else:
            from SALib.sample import morris

            x = morris.sample(problem, samples, num_levels=MORRIS_LEVELS, seed=seed)
    x.setflags(write=False)
    return x
