"""The ensemble spec (``ensemble.json``): everything that decides what each replica computes.

Two specs that agree give the same replicas, so ``--resume`` may reuse stored replicas only when
the stored spec agrees with the new one. ``replicas`` may differ when replicas are independent
draws (seeds, ``--vary``): replica k does not depend on the count, so an ensemble can be extended
(or summarised over fewer). A SALib design depends on its size, so there the count must match.
The scenario's folder path is informative only (a moved folder with the same input hash is the same
scenario); its input hash and the hash of its settings (after overrides) are what count.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from corridor._version import __version__
from corridor.ensemble.designs import Design
from corridor.ensemble.sampling import Vary, replica_params, replica_seed
from corridor.ensemble.worker import ReplicaTask
from corridor.errors import CorridorError

FORMAT = 1


def settings_hash(scenario: Any) -> str:
    """A hash of the scenario's settings (so in-memory overrides count as a different scenario):
    a Flee scenario's simsetting values, a corridor scenario's parameter values."""
    settings = getattr(scenario, "settings", None)
    if settings is not None and hasattr(settings, "model_dump"):
        values: Any = settings.model_dump(mode="json")
    elif isinstance(getattr(scenario, "parameters", None), dict):
        values = scenario.parameters
    else:
        return ""
    blob = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass
class EnsembleSpec:
    """What an ensemble is: scenario identity, seed, replica count, days and parameter sampling."""

    scenario_name: str
    scenario_hash: str
    settings_hash: str
    seed: int
    replicas: int
    days: int | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    vary: tuple[Vary, ...] = ()
    design: Design | None = None
    measure: dict[str, Any] = field(default_factory=dict)
    scenario_path: str = ""
    corridor_version: str = __version__

    @classmethod
    def for_scenario(cls, scenario: Any, **kwargs: Any) -> EnsembleSpec:
        return cls(
            scenario_name=str(getattr(scenario, "name", "scenario")),
            scenario_hash=str(getattr(scenario, "input_hash", "")),
            settings_hash=settings_hash(scenario),
            scenario_path=str(getattr(scenario, "root", "")),
            **kwargs,
        )

    def __post_init__(self) -> None:
        if self.seed < 0:
            raise CorridorError(f"--seed must be 0 or more (got {self.seed})")
        if self.days is not None and self.days < 1:
            raise CorridorError(f"--days must be at least 1 (got {self.days})")
        if self.vary and self.design is not None:
            raise CorridorError("an ensemble takes --vary distributions or a design, not both")
        names = [v.name for v in self.vary]
        if len(set(names)) != len(names):
            raise CorridorError(f"--vary names a setting twice: {names}")
        if self.design is not None:
            self.replicas = len(self.design.rows()) * self.design.seeds_per_row
        if self.replicas < 1:
            raise CorridorError(f"--replicas must be at least 1 (got {self.replicas})")

    @property
    def varied(self) -> list[str]:
        """Names of the settings that differ between replicas."""
        if self.design is not None:
            return [p.name for p in self.design.params]
        return [v.name for v in self.vary]

    def tasks(self) -> list[ReplicaTask]:
        """Every replica's task, in index order."""
        if self.design is None:
            return [
                ReplicaTask(
                    k,
                    replica_seed(self.seed, k),
                    replica_params(self.seed, k, list(self.vary)),
                    self.days,
                )
                for k in range(self.replicas)
            ]
        rows = self.design.rows()
        r = self.design.seeds_per_row
        seeds = [replica_seed(self.seed, j) for j in range(r)]
        names = self.varied
        return [
            ReplicaTask(
                k,
                seeds[k % r],
                {n: float(x) for n, x in zip(names, rows[k // r], strict=True)},
                self.days,
            )
            for k in range(self.replicas)
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "corridor_version": self.corridor_version,
            "scenario": {
                "name": self.scenario_name,
                "path": self.scenario_path,
                "input_hash": self.scenario_hash,
                "settings_hash": self.settings_hash,
            },
            "overrides": self.overrides,
            "seed": self.seed,
            "replicas": self.replicas,
            "days": self.days,
            "vary": [v.as_json() for v in self.vary],
            "design": None if self.design is None else self.design.as_json(),
            "measure": self.measure,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EnsembleSpec:
        if data.get("format") != FORMAT:
            raise CorridorError(f"ensemble.json format {data.get('format')!r}: expected {FORMAT}")
        sc = data["scenario"]
        return cls(
            scenario_name=sc["name"],
            scenario_hash=sc["input_hash"],
            settings_hash=sc["settings_hash"],
            scenario_path=sc.get("path", ""),
            seed=int(data["seed"]),
            replicas=int(data["replicas"]),
            days=data["days"],
            overrides=dict(data.get("overrides") or {}),
            vary=tuple(Vary.from_json(v) for v in data.get("vary") or []),
            design=None if data.get("design") is None else Design.from_json(data["design"]),
            measure=dict(data.get("measure") or {}),
            corridor_version=data.get("corridor_version", ""),
        )

    def mismatches(self, stored: EnsembleSpec) -> list[str]:
        """What differs between this spec and a stored one in ways that change replicas."""
        mine, theirs = self.as_json(), stored.as_json()
        for d in (mine, theirs):
            d["scenario"].pop("path")
            d["scenario"].pop("name")
            if self.design is None:
                d.pop("replicas")
        return [
            f"{key}: stored {theirs[key]!r}, now {mine[key]!r}"
            for key in mine
            if mine[key] != theirs.get(key)
        ]
