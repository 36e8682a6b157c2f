"""Seeds and parameter draws for replicas, all from one ``numpy.random.SeedSequence(S)``.

Replica ``k`` owns the node ``SeedSequence(S, spawn_key=(k,))``, which is exactly the ``k``-th
child of ``SeedSequence(S).spawn(n)`` for any ``n > k``. Its own two children give the model seed
(``spawn_key=(k, 0)``) and the stream its parameters are drawn from (``spawn_key=(k, 1)``). So a
replica's seed and parameters depend on ``S`` and ``k`` only: never on how many replicas there are,
which executor ran them or in what order they finished; an ensemble can be extended or resumed and
replica 7 is still replica 7.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from corridor.errors import CorridorError

DISTRIBUTIONS = ("uniform", "loguniform", "normal", "choice")
_VARY = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*=\s*([a-z]+)\s*\((.*)\)\s*$")


def replica_node(root_seed: int, k: int) -> np.random.SeedSequence:
    """Replica ``k``'s node of the seed tree (the ``k``-th spawned child of the root)."""
    if root_seed < 0:
        raise CorridorError(f"seed must be 0 or more (got {root_seed})")
    return np.random.SeedSequence(root_seed, spawn_key=(k,))


def replica_seed(root_seed: int, k: int) -> int:
    """The model seed of replica ``k``: a 63-bit integer (what ``corridor run --seed`` takes)."""
    node = np.random.SeedSequence(root_seed, spawn_key=(*replica_node(root_seed, k).spawn_key, 0))
    return int(node.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def replica_rng(root_seed: int, k: int) -> np.random.Generator:
    """The generator replica ``k``'s parameters are drawn from."""
    node = np.random.SeedSequence(root_seed, spawn_key=(*replica_node(root_seed, k).spawn_key, 1))
    return np.random.Generator(np.random.PCG64(node))


def derived_seed(root_seed: int, purpose: int) -> int:
    """A 32-bit seed for a whole-run sampler (SALib design, optuna, pyabc), apart from replicas.

    ``purpose`` indexes a branch of the root that replicas never use (their keys have length 1
    and 2; this one has length 3), so designs and replica seeds are independent streams.
    """
    node = np.random.SeedSequence(root_seed, spawn_key=(0, 0, purpose))
    return int(node.generate_state(1, dtype=np.uint32)[0])


@dataclass(frozen=True)
class Vary:
    """One varied setting and the distribution its per-replica values are drawn from."""

    name: str
    dist: str
    args: tuple[Any, ...]

    def draw(self, rng: np.random.Generator) -> Any:
        a = self.args
        if self.dist == "uniform":
            return float(rng.uniform(a[0], a[1]))
        if self.dist == "loguniform":
            return float(math.exp(rng.uniform(math.log(a[0]), math.log(a[1]))))
        if self.dist == "normal":
            return float(rng.normal(a[0], a[1]))
        return a[int(rng.integers(len(a)))]  # choice

    def text(self) -> str:
        return f"{self.name}={self.dist}({','.join(str(x) for x in self.args)})"

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "dist": self.dist, "args": list(self.args)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Vary:
        return cls(str(data["name"]), str(data["dist"]), tuple(data["args"]))


def parse_vary(text: str) -> Vary:
    """Parse ``NAME=uniform(a,b)``, ``normal(m,s)``, ``loguniform(a,b)`` or ``choice(a,b,...)``."""
    m = _VARY.match(text)
    if not m:
        raise CorridorError(
            f"--vary '{text}': expected NAME=DIST(ARGS), e.g. distance_power=uniform(0.5,1.0)"
        )
    name, dist, raw = m.group(1), m.group(2), m.group(3)
    if dist not in DISTRIBUTIONS:
        raise CorridorError(f"--vary '{text}': unknown distribution '{dist}' ({DISTRIBUTIONS})")
    items = [x.strip() for x in raw.split(",")] if raw.strip() else []
    if dist == "choice":
        if not items:
            raise CorridorError(f"--vary '{text}': choice needs at least one value")
        return Vary(name, dist, tuple(_scalar(x) for x in items))
    if len(items) != 2:
        raise CorridorError(f"--vary '{text}': {dist} takes two numbers")
    try:
        a, b = float(items[0]), float(items[1])
    except ValueError:
        raise CorridorError(f"--vary '{text}': {dist} takes two numbers") from None
    if dist in ("uniform", "loguniform") and not a < b:
        raise CorridorError(f"--vary '{text}': needs low < high")
    if dist == "loguniform" and a <= 0:
        raise CorridorError(f"--vary '{text}': loguniform needs 0 < low")
    if dist == "normal" and not b > 0:
        raise CorridorError(f"--vary '{text}': normal needs a standard deviation > 0")
    return Vary(name, dist, (a, b))


def _scalar(text: str) -> Any:
    """A choice value: an int, a float, true/false, or else the text itself."""
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text.strip("'\"")


def replica_params(root_seed: int, k: int, varies: list[Vary]) -> dict[str, Any]:
    """Replica ``k``'s drawn settings, in the order the distributions were given."""
    if not varies:
        return {}
    rng = replica_rng(root_seed, k)
    return {v.name: v.draw(rng) for v in varies}
