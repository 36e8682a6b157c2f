"""``simsetting.yml``: Flee 3.1's rule settings and defaults, plus corridor's own options.

Keys and defaults follow ``SimulationSettings.ReadFromYML`` of Flee 3.1 (see docs/flee-compat.md).
Keys Flee 3.1 does not read (later Flee versions added several) are reported as warnings and
ignored, exactly as Flee 3.1 ignores them, so a scenario means the same thing in both engines.
corridor's own choices live under a top-level ``corridor:`` key, which Flee ignores.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Flee 3.1 writes sqrt(10) as this literal; its default conflict_weight is 1 / that.
FLEE_SQRT_TEN = 3.16227766017

# Keys that later Flee versions read but Flee 3.1 does not (FabFlee's validation simsetting.yml
# carries some of them). They are ignored with a warning, as Flee 3.1 ignores them silently.
LATER_FLEE_KEYS = {
    "sum_from_camps",
    "conflict_spawn_decay_interval",
    "empty_camps_on_day0",
    "capacity_scaling",
    "fixed_routes",
    "pruning_threshold",
    "camps_are_sinks",
}


class _Section(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    @field_validator("*", mode="after")
    @classmethod
    def _finite(cls, value: Any) -> Any:
        """YAML reads ``.inf`` and ``.nan`` as numbers; no Flee setting means anything by them,
        and a NaN weight or speed would quietly spoil every route choice."""
        items = value if isinstance(value, list) else [value]
        if any(isinstance(v, float) and not math.isfinite(v) for v in items):
            raise ValueError("a finite number")
        return value

    def unknown_keys(self) -> list[str]:
        return sorted((self.model_extra or {}).keys())


class LogLevels(_Section):
    agent: int = 0
    link: int = 0
    camp: int = 0
    init: int = 0
    conflict: int = 0
    idp_totals: int = 0


class ConflictDrivenSpawning(_Section):
    spawn_mode: Literal["constant", "pop_ratio", "poisson"] = "constant"
    displaced_per_conflict_day: float | None = None

    @field_validator("spawn_mode", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @property
    def rate(self) -> float:
        """Flee 3.1's defaults: 0.01 of the population for pop_ratio, else 500 people a day."""
        if self.displaced_per_conflict_day is not None:
            if self.spawn_mode == "pop_ratio":
                return float(self.displaced_per_conflict_day)
            return float(int(self.displaced_per_conflict_day))
        return 0.01 if self.spawn_mode == "pop_ratio" else 500.0


class SpawnRules(_Section):
    take_from_population: bool = False
    insert_day0: bool = True
    conflict_zone_spawning_only: bool = True
    flood_zone_spawning_only: bool = False
    # Flee 3.1 reads this misspelt key (and only it) to turn on camp sinks.
    camps_are_sicks: bool = False
    read_from_agents_csv_file: bool = False
    conflict_spawn_decay: list[float] | None = None
    conflict_driven_spawning: ConflictDrivenSpawning | None = None


class MoveRules(_Section):
    max_move_speed: float = 360.0
    max_walk_speed: float = 35.0
    max_crossing_speed: float = 20.0
    foreign_weight: float = 1.0
    camp_weight: float = 1.0
    conflict_weight: float = 1.0 / FLEE_SQRT_TEN
    conflict_movechance: float = 1.0
    camp_movechance: float = 0.001
    idpcamp_movechance: float = 0.1
    default_movechance: float = 0.3
    awareness_level: int = Field(1, ge=0, le=6)
    capacity_buffer: float = 0.9
    avoid_short_stints: bool = False
    start_on_foot: bool = False
    use_v1_rules: bool = False
    softening: float = 10.0
    weight_softening: float = 0.0
    weight_power: float = 1.0
    distance_power: float = 1.0
    stay_close_to_home: bool = False
    home_distance_power: float = 0.5
    use_pop_for_loc_weight: bool = False
    pop_power_for_loc_weight: float = 0.1
    movechance_pop_base: float = 10000.0
    movechance_pop_scale_factor: float = 0.0
    ChildrenAvoidHazards: bool = False
    BoysTakeRisk: bool = False
    MatchCampEthnicity: bool = False
    MatchTownEthnicity: bool = False
    MatchConflictEthnicity: bool = False

    @field_validator("max_move_speed", "max_walk_speed")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("a speed above 0 km/day")
        return value

    @field_validator(
        "conflict_movechance", "camp_movechance", "idpcamp_movechance", "default_movechance"
    )
    @classmethod
    def _movechance(cls, value: float) -> float:
        """A move chance is compared with a uniform draw. Flee 3.1 takes any number: a negative
        one never moves anyone and (being below 0.005) turns every place of that type into a
        camp, which then stops the run for want of observed data for it, far from the real
        cause; so a negative one is an error. One above 1 moves everyone, in Flee as here, and
        is accepted as Flee accepts it."""
        if not value >= 0.0:
            raise ValueError("a move chance of 0 or more (a probability; above 1 moves everyone)")
        return value

    @field_validator("capacity_buffer")
    @classmethod
    def _buffer(cls, value: float) -> float:
        """A share of a camp's capacity; at 1 a camp is open until full, then closed (Flee 3.1
        runs with it too: the linear part, which divides by 1 - buffer, is never reached)."""
        if not 0.0 <= value <= 1.0:
            raise ValueError("a fraction in [0, 1]")
        return value


class Optimisations(_Section):
    hasten: int = Field(1, ge=1)


class CorridorOptions(BaseModel):
    """corridor's deliberate choices where Flee 3.1 has a quirk (docs/flee-compat.md)."""

    model_config = ConfigDict(extra="forbid")

    # Flee 3.1 credits a full day's speed on every link entered during a day ("full"); "remaining"
    # credits only what is left of the day's distance budget.
    new_link_speed_credit: Literal["full", "remaining"] = "full"
    # Flee 3.1's awareness_level 0 never moves anyone (a bug); corridor picks a uniform neighbour.
    awareness_zero: Literal["uniform_neighbour", "flee31_no_move"] = "uniform_neighbour"
    # Flee 3.1's closures.csv `link` rows compare names by identity and close nothing;
    # corridor closes the link in both directions ("both"), or reproduces 3.1 ("flee31_no_effect").
    link_closure: Literal["both", "flee31_no_effect"] = "both"
    # Flee 3.1 duplicates the link pair of a routes.csv row with forced_redirection = 1
    # (an if/if-else slip), doubling its route weight; "single" builds one pair.
    forced_redirection_1: Literal["flee31_duplicate", "single"] = "flee31_duplicate"


class FleeSettings(_Section):
    number_of_steps: int = -1
    conflict_input_file: str = ""
    log_levels: LogLevels = LogLevels()
    spawn_rules: SpawnRules = SpawnRules()
    move_rules: MoveRules = MoveRules()
    optimisations: Optimisations = Optimisations()
    flood_rules: Any = None
    corridor: CorridorOptions = CorridorOptions()

    @field_validator("log_levels", "spawn_rules", "move_rules", "optimisations", mode="before")
    @classmethod
    def _none_is_default(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("corridor", mode="before")
    @classmethod
    def _none_is_default_options(cls, value: Any) -> Any:
        return {} if value is None else value

    # -- values as Flee 3.1 uses them (use_v1_rules overrides a few) --------------------------
    @property
    def max_move_speed(self) -> float:
        return 200.0 if self.move_rules.use_v1_rules else self.move_rules.max_move_speed

    @property
    def start_on_foot(self) -> bool:
        return False if self.move_rules.use_v1_rules else self.move_rules.start_on_foot

    @property
    def avoid_short_stints(self) -> bool:
        return False if self.move_rules.use_v1_rules else self.move_rules.avoid_short_stints

    @property
    def camp_weight(self) -> float:
        return 2.0 if self.move_rules.use_v1_rules else self.move_rules.camp_weight

    @property
    def conflict_weight(self) -> float:
        return 0.25 if self.move_rules.use_v1_rules else self.move_rules.conflict_weight

    def unknown_key_paths(self) -> list[tuple[str, ...]]:
        """Keys present in the file that Flee 3.1 does not read."""
        out = [(k,) for k in self.unknown_keys()]
        for name in ("log_levels", "spawn_rules", "move_rules", "optimisations"):
            section: _Section = getattr(self, name)
            out += [(name, k) for k in section.unknown_keys()]
        if self.spawn_rules.conflict_driven_spawning is not None:
            cds = self.spawn_rules.conflict_driven_spawning
            out += [("spawn_rules", "conflict_driven_spawning", k) for k in cds.unknown_keys()]
        return out

    def unsupported(self) -> list[tuple[tuple[str, ...], str]]:
        """Settings Flee 3.1 accepts but that need data or code a Flee scenario folder lacks."""
        out: list[tuple[tuple[str, ...], str]] = []
        if self.flood_rules is not None:
            out.append((("flood_rules",), "no flood_rules (DFlee's flood model is not supported)"))
        if self.spawn_rules.flood_zone_spawning_only:
            out.append(
                (
                    ("spawn_rules", "flood_zone_spawning_only"),
                    "false (DFlee's flood model is not supported)",
                )
            )
        for key in (
            "ChildrenAvoidHazards",
            "BoysTakeRisk",
            "MatchCampEthnicity",
            "MatchTownEthnicity",
            "MatchConflictEthnicity",
        ):
            if getattr(self.move_rules, key):
                out.append(
                    (
                        ("move_rules", key),
                        "false (needs per-agent age, gender or ethnicity, which Flee 3.1 only "
                        "reads from demographics files that corridor does not support)",
                    )
                )
        return out
