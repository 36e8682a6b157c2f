"""corridor's Python API: ``load`` a scenario, ``run`` it, read the result's tables.

import corridor
scenario = corridor.load("path/to/scenario")
result = corridor.run(scenario, seed=1, out="runs/example")
result.daily()            # polars DataFrame: day x location counts
result.validation()       # the scenario family's validation against observed data
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numba
import numpy as np
import polars as pl

from corridor._version import __version__
from corridor.compile.corridor import CorridorModel, compile_corridor
from corridor.compile.flee import FleeModel, compile_flee
from corridor.engine.corridor_engine import CorridorRecord, run_corridor
from corridor.engine.flee_engine import FleeRecord, run_flee
from corridor.errors import CorridorError
from corridor.output import corridor_tables, flee_tables
from corridor.output.flee_csv import write_flee_out_csv
from corridor.output.rundir import atomic_run_dir, check_target, write_json
from corridor.scenario.flee.load import is_flee_scenario, load_flee
from corridor.scenario.flee.model import FleeScenario
from corridor.scenario.native.load import is_corridor_scenario, load_corridor
from corridor.scenario.native.model import CorridorScenario

Scenario = FleeScenario | CorridorScenario


def load(path: str | Path) -> Scenario:
    """Read and validate the scenario folder at ``path`` (raises ScenarioError listing problems)."""
    root = Path(path)
    if not root.exists():
        raise CorridorError(f"{root}: no such scenario folder")
    if not root.is_dir():
        raise CorridorError(f"{root}: a scenario is a folder, not a file")
    if is_corridor_scenario(root):
        return load_corridor(root)
    if is_flee_scenario(root):
        return load_flee(root)
    raise CorridorError(
        f"{root}: not a scenario folder (expected scenario.yml for a corridor scenario, or "
        "input_csv/locations.csv for a Flee scenario)"
    )


@dataclass
class Result:
    """A finished run: its manifest, its arrays, and (if written) its folder."""

    scenario: Scenario
    model: FleeModel | CorridorModel
    record: FleeRecord | CorridorRecord
    manifest: dict[str, Any]
    out_dir: Path | None = None
    _frames: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)
    _wall_before_write: float | None = field(default=None, repr=False)

    @property
    def agents(self) -> int:
        return int(self.record.n_agents[-1]) if len(self.record.n_agents) else 0

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """The first and the last day the run simulated."""
        return self.model.start_date, self.model.date_of(self.model.days - 1)

    @property
    def ruleset(self) -> str:
        return "corridor" if isinstance(self.model, CorridorModel) else "flee"

    def events(self) -> pl.DataFrame:
        """Counts per day, place, event kind and nationality (``events.parquet``; corridor)."""
        return self._table("events")

    def attempts(self) -> pl.DataFrame:
        """People by state at the end of the run, nationality, age group and attempts (how many
        times each set off; ``attempts.parquet``; corridor)."""
        return self._table("attempts")

    def daily(self) -> pl.DataFrame:
        """Agents at each location at the end of each day (``daily.parquet``)."""
        return self._table("daily")

    def routes(self) -> pl.DataFrame:
        """Agents on each directed link at the end of each day (``routes.parquet``)."""
        return self._table("routes")

    def scan(self, name: str) -> pl.LazyFrame:
        """A lazy polars frame over one of the run's Parquet tables (needs a written run)."""
        if self.out_dir is None:
            return self._table(name).lazy()
        return pl.scan_parquet(self.out_dir / f"{name}.parquet")

    def _table(self, name: str) -> pl.DataFrame:
        if name not in self._frames:
            if self.out_dir is not None:
                self._frames[name] = pl.read_parquet(self.out_dir / f"{name}.parquet")
            else:
                import tempfile

                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / f"{name}.parquet"
                    module = corridor_tables if self.ruleset == "corridor" else flee_tables
                    writer = getattr(module, f"write_{name}", None)
                    if writer is None:
                        raise CorridorError(f"a {self.ruleset} run has no {name} table")
                    writer(path, self.model, self.record)
                    self._frames[name] = pl.read_parquet(path)
        return self._frames[name]

    def series(self) -> pl.DataFrame:
        """Monthly series of the run, long format: ``series``, ``period`` (YYYY-MM), ``value``.

        For a Flee scenario: ``camp:<name>``, the mean number of agents in each camp over the
        days of the month, and ``agents``, the mean number of agents in the simulation.
        For a corridor scenario: see :mod:`corridor.validate.corridor_series`.
        These are what ensembles summarise into bands.
        """
        if isinstance(self.model, CorridorModel):
            from corridor.validate.corridor_series import monthly_series

            return monthly_series(self.model, self.record)  # type: ignore[arg-type]
        m, rec = self.model, self.record
        start = np.datetime64(m.start_date, "D")
        months = (start + np.arange(m.days).astype("timedelta64[D]")).astype("datetime64[M]")
        frames = {f"camp:{m.loc_names[i]}": rec.loc_counts[:, i] for i in m.camp_idx}
        frames["agents"] = rec.n_agents
        labels = months.astype(str)
        rows = []
        for name, values in frames.items():
            df = pl.DataFrame({"period": labels, "value": values.astype(np.float64)})
            rows.append(
                df.group_by("period", maintain_order=True)
                .agg(pl.col("value").mean())
                .with_columns(pl.lit(name).alias("series"))
                .select("series", "period", "value")
            )
        return pl.concat(rows)

    def validation(self) -> Any:
        """Validation against observed data: Flee's error (Flee scenarios, from the written
        out.csv), or per-series observed vs simulated with MAPE (corridor scenarios)."""
        if isinstance(self.model, CorridorModel):
            from corridor.validate.corridor_series import validate_series

            m = self.model
            return validate_series(
                self.series(), m.observed, m.train_until, m.start_date, m.date_of(m.days - 1)
            )
        from corridor.validate.flee_metric import flee_validation

        if self.out_dir is None:
            raise CorridorError("validation reads out.csv: run with out=... to write the run")
        return flee_validation(self.out_dir / "out.csv")

    def write(self, out: str | Path) -> Path:
        """Write the run folder atomically and return its path."""
        target = Path(out)
        t0 = time.perf_counter()
        with atomic_run_dir(target) as tmp:
            if isinstance(self.model, CorridorModel):
                corridor_tables.write_daily(tmp / "daily.parquet", self.model, self.record)  # type: ignore[arg-type]
                corridor_tables.write_routes(tmp / "routes.parquet", self.model, self.record)  # type: ignore[arg-type]
                corridor_tables.write_events(tmp / "events.parquet", self.model, self.record)  # type: ignore[arg-type]
                corridor_tables.write_attempts(tmp / "attempts.parquet", self.model, self.record)  # type: ignore[arg-type]
                self.series().write_parquet(tmp / "series.parquet", **_SERIES_OPTIONS)
                _places_frame(self.scenario).write_parquet(
                    tmp / "places.parquet", **_SERIES_OPTIONS
                )
                _observed_frame(self.model.observed).write_parquet(  # type: ignore[union-attr]
                    tmp / "observed.parquet", **_SERIES_OPTIONS
                )
            else:
                write_flee_out_csv(tmp / "out.csv", self.model, self.record)  # type: ignore[arg-type]
                flee_tables.write_daily(tmp / "daily.parquet", self.model, self.record)  # type: ignore[arg-type]
                flee_tables.write_routes(tmp / "routes.parquet", self.model, self.record)  # type: ignore[arg-type]
                _places_frame(self.scenario).write_parquet(
                    tmp / "places.parquet", **_SERIES_OPTIONS
                )
            # the manifest is the last file written, inside the folder before its rename: a run
            # folder under its final name is never rewritten
            if self._wall_before_write is None:
                self._wall_before_write = float(self.manifest.get("wall_seconds", 0.0))
            write_seconds = round(time.perf_counter() - t0, 4)
            self.manifest["timings"]["write_seconds"] = write_seconds
            self.manifest["wall_seconds"] = round(self._wall_before_write + write_seconds, 4)
            write_json(tmp / "manifest.json", self.manifest)
        self.out_dir = target
        return target


def apply_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """A copy of ``scenario`` with settings changed, e.g. ``{"move_rules.distance_power": 0.8}``.

    A key may omit its section when the name is unique (``"distance_power"``). Unknown keys and
    values of the wrong type raise :class:`CorridorError` naming the key.
    """
    import copy

    from pydantic import ValidationError

    if isinstance(scenario, CorridorScenario):
        from corridor.scenario.native.parameters import PARAMETERS

        params = dict(scenario.parameters)
        for key, value in overrides.items():
            name = key.removeprefix("parameters.")
            if name not in PARAMETERS:
                raise CorridorError(f"parameter '{key}': no such parameter")
            spec = PARAMETERS[name]
            number = _parameter_number(key, value)
            if not spec.low <= number <= spec.high:
                raise CorridorError(
                    f"parameter '{key}': {value} is outside [{spec.low}, {spec.high}]"
                )
            params[name] = number
        out_c = copy.copy(scenario)
        out_c.parameters = params
        return out_c
    data = scenario.settings.model_dump()
    for key, value in overrides.items():
        path = key.split(".")
        if len(path) == 1:
            sections = [s for s in data if isinstance(data[s], dict) and path[0] in data[s]]
            if len(sections) != 1:
                where = "no" if not sections else "more than one"
                raise CorridorError(f"setting '{key}': {where} settings section has this key")
            path = [sections[0], path[0]]
        node = data
        for part in path[:-1]:
            if not isinstance(node.get(part), dict):
                raise CorridorError(f"setting '{key}': no section '{part}'")
            node = node[part]
        if path[-1] not in node:
            raise CorridorError(f"setting '{key}': unknown key '{path[-1]}'")
        node[path[-1]] = value
    try:
        settings = type(scenario.settings).model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        got = f" (got {first['input']!r})" if "input" in first else ""
        raise CorridorError(
            f"setting '{where or overrides}': {first['msg']}{got}"
            if where
            else f"settings overrides {overrides}: {first['msg']}"
        ) from None
    out = copy.copy(scenario)
    out.settings = settings
    return out


def _parameter_number(key: str, value: Any) -> float:
    """A corridor parameter's value as a finite float; anything else is an error naming it."""
    expected = "expected a number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real | str):
        raise CorridorError(f"parameter '{key}': got {value!r}; {expected}")
    try:
        number = float(value)
    except ValueError:
        raise CorridorError(f"parameter '{key}': got {value!r}; {expected}") from None
    if not math.isfinite(number):
        raise CorridorError(f"parameter '{key}': got {value!r}; expected a finite number")
    return number


def run(
    scenario: Scenario,
    seed: int | None = None,
    days: int | None = None,
    out: str | Path | None = None,
    on_day: Callable[[int], None] | None = None,
    load_seconds: float = 0.0,
) -> Result:
    """Simulate ``scenario`` with ``seed``; write the run folder to ``out`` if given.

    Without ``seed``, the scenario's own seed (``seed:`` in scenario.yml), else 0. The same
    scenario, seed and days give byte-identical out.csv and Parquet tables.
    """
    if seed is None:
        seed = default_seed(scenario)
    if seed < 0:
        raise CorridorError(f"seed must be 0 or more (got {seed})")
    if days is not None and days < 1:
        raise CorridorError(f"days must be at least 1 (got {days})")
    if out is not None:
        check_target(Path(out))
    t_start = time.perf_counter()
    n_days = None if days is None else min(days, scenario.days)
    if isinstance(scenario, CorridorScenario):
        model: FleeModel | CorridorModel = compile_corridor(scenario, days=n_days)
    else:
        model = compile_flee(scenario, days=n_days)
    t_compiled = time.perf_counter()
    jit_seconds = warm_up(scenario.kind)
    t_warm = time.perf_counter()
    if isinstance(model, CorridorModel):
        record: FleeRecord | CorridorRecord = run_corridor(model, seed, on_day)
    else:
        record = run_flee(model, seed, on_day)
    t_done = time.perf_counter()
    manifest = _manifest(scenario, model, record, seed)
    manifest["timings"] = {
        "load_seconds": round(load_seconds, 4),
        "compile_seconds": round(t_compiled - t_start, 4),
        "jit_seconds": round(jit_seconds, 4),
        "simulate_seconds": round(t_done - t_warm, 4),
    }
    manifest["wall_seconds"] = round(load_seconds + t_done - t_start, 4)
    result = Result(scenario, model, record, manifest)
    if out is not None:
        result.write(out)  # adds write_seconds to the manifest's timings and wall_seconds
    return result


def default_seed(scenario: Scenario) -> int:
    """The seed a run uses when none is given: the scenario's ``seed:`` (scenario.yml of a
    corridor scenario), else 0 (Flee scenarios have none)."""
    spec = getattr(scenario, "spec", None)
    seed = getattr(spec, "seed", None)
    return int(seed) if isinstance(seed, int) else 0


def _places_frame(scenario: Scenario) -> pl.DataFrame:
    """Places of the scenario with kind and coordinates (for maps)."""
    if isinstance(scenario, CorridorScenario):
        rows = [
            (p.name, p.kind.value, p.country, p.region, p.lat, p.lon, cap)
            for p, cap in zip(scenario.places, scenario.capacities(), strict=True)
        ]
    else:
        rows = [
            (x.name, x.location_type.value, x.country, x.region, x.latitude, x.longitude, None)
            for x in scenario.locations
        ]
    return pl.DataFrame(
        rows,
        schema={
            "name": pl.String,
            "kind": pl.String,
            "country": pl.String,
            "region": pl.String,
            "lat": pl.Float64,
            "lon": pl.Float64,
            "capacity": pl.Int64,
        },
        orient="row",
    )


def _observed_frame(rows: list[Any]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "series": [r.series for r in rows],
            "period": [r.period for r in rows],
            "value": [float(r.value) for r in rows],
            "source": [r.source for r in rows],
        },
        schema={"series": pl.String, "period": pl.String, "value": pl.Float64, "source": pl.String},
    )


_WARM: set[str] = set()
_SERIES_OPTIONS = {"compression": "zstd", "statistics": True}


def warm_up(kind: str = "flee") -> float:
    """Compile (or load from cache) a ruleset's kernels on a tiny problem; return the seconds.

    Reported separately as ``jit_seconds`` so that compile time never hides in simulation time.
    """
    if kind in _WARM:
        return 0.0
    from corridor.engine import warmup

    t0 = time.perf_counter()
    (warmup.warm_up_corridor if kind == "corridor" else warmup.warm_up_flee)()
    _WARM.add(kind)
    return time.perf_counter() - t0


def _manifest(scenario: Scenario, model: Any, rec: Any, seed: int) -> dict[str, Any]:
    if isinstance(scenario, CorridorScenario):
        settings: dict[str, Any] = {
            "parameters": scenario.parameters,
            "scale": scenario.spec.scale,
            "disabled_events": list(scenario.disabled_events),
            "modes": {k.value: v.model_dump(mode="json") for k, v in scenario.spec.modes.items()},
        }
        extra = {
            "scale": scenario.spec.scale,
            "train_until": str(scenario.spec.train_until) if scenario.spec.train_until else None,
            "timings_by_phase": rec.timings,
            "dijkstra_runs": rec.dijkstra_runs,
        }
    else:
        settings = scenario.settings.model_dump(mode="json")
        extra = {}
    return {
        "corridor_version": __version__,
        "scenario": scenario.name,
        "scenario_path": str(Path(scenario.root).resolve()),
        "scenario_hash": scenario.input_hash,
        "format": scenario.kind,
        "ruleset": "corridor" if isinstance(scenario, CorridorScenario) else "flee",
        "seed": seed,
        "start_date": model.start_date.isoformat(),
        "days": model.days,
        "agents": int(rec.n_agents[-1]) if model.days else 0,
        "settings": settings,
        **extra,
        "warnings": [str(w) for w in scenario.warnings],
        "engine": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "numba": numba.__version__,
            "threads": numba.get_num_threads(),
            "state_bytes": rec.state_bytes,
        },
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
