"""An ensemble folder on disk: its spec, one Parquet file per finished replica, the summaries.

Layout::

    DIR/ensemble.json                 the spec (what each replica computes)
    DIR/replicas/replica-00007.parquet  replica 7: its series + replica, seed, param:* columns
    DIR/bands.parquet                 quantile bands per series and month (when all are done)
    DIR/parameters.parquet            replica, seed and the varied settings (with --vary/design)
    DIR/failures.json                 replicas whose model raised (absent when none did)

Every file is written atomically (temporary name, then rename), so a file under its final name is
whole: a replica stored is a replica done, and ``--resume`` skips exactly those.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from corridor.ensemble.parquet import read_metadata, write_json_atomic, write_parquet
from corridor.ensemble.runner import Failure
from corridor.ensemble.spec import EnsembleSpec
from corridor.ensemble.worker import ReplicaTask
from corridor.errors import CorridorError
from corridor.output.rundir import check_target

PARAM_PREFIX = "param:"


class ReplicaStore:
    """Read and write one ensemble folder."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.spec_path = self.root / "ensemble.json"
        self.replica_dir = self.root / "replicas"
        self.bands_path = self.root / "bands.parquet"
        self.parameters_path = self.root / "parameters.parquet"
        self.failures_path = self.root / "failures.json"

    def replica_path(self, index: int) -> Path:
        return self.replica_dir / f"replica-{index:05d}.parquet"

    def open(self, spec: EnsembleSpec, resume: bool) -> set[int]:
        """Create the folder for ``spec`` (or, with ``resume``, check it); return stored indices."""
        if self.root.exists() and not self.root.is_dir():
            raise CorridorError(f"{self.root} exists and is not a folder")
        if self.spec_path.exists():
            if not resume:
                raise CorridorError(
                    f"{self.root} already holds an ensemble; pass --resume to continue it, "
                    "or choose a new --out folder"
                )
            stored = self.read_spec()
            diffs = spec.mismatches(stored)
            if diffs:
                raise CorridorError(
                    f"{self.root}: cannot resume, the stored ensemble differs:\n  - "
                    + "\n  - ".join(diffs)
                )
        elif self.root.exists() and any(self.root.iterdir()):
            raise CorridorError(f"{self.root} exists and is not an ensemble folder")
        else:
            check_target(self.root, allow_empty=True)
        self.replica_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.replica_dir.glob(".replica-*.tmp-*"):
            stale.unlink(missing_ok=True)  # a write cut short by a crash
        write_json_atomic(self.spec_path, spec.as_json())
        return self.stored(spec)

    def read_spec(self) -> EnsembleSpec:
        try:
            return EnsembleSpec.from_json(json.loads(self.spec_path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CorridorError(f"{self.spec_path}: not a readable ensemble spec ({exc})") from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CorridorError(
                f"{self.spec_path}: not an ensemble spec ({type(exc).__name__}: {exc}); expected "
                "the JSON object `corridor ensemble` writes"
            ) from None

    def stored(self, spec: EnsembleSpec) -> set[int]:
        """Indices below ``spec.replicas`` whose file exists and matches the expected seed."""
        done = set()
        for task in spec.tasks():
            path = self.replica_path(task.index)
            if path.exists():
                try:
                    meta = read_metadata(path)
                except Exception as exc:  # pyarrow or OS: a file damaged after it was written
                    raise CorridorError(
                        f"{path}: not a readable replica file ({exc}); remove it and run again "
                        "with --resume"
                    ) from None
                if meta.get("seed") != task.seed or meta.get("params") != task.params:
                    raise CorridorError(
                        f"{path}: stored seed/parameters differ from the spec's "
                        f"({meta.get('seed')} vs {task.seed}); remove the file or the folder"
                    )
                done.add(task.index)
        return done

    def write_replica(self, spec: EnsembleSpec, task: ReplicaTask, series: pl.DataFrame) -> None:
        """Store one replica: its rows sorted, with replica, seed and parameters alongside."""
        df = series.sort(["series", "period"]).with_columns(
            pl.lit(task.index, dtype=pl.Int32).alias("replica"),
            pl.lit(task.seed, dtype=pl.UInt64).alias("seed"),
            *[pl.lit(v).alias(PARAM_PREFIX + k) for k, v in task.params.items()],
        )
        meta = {
            "replica": task.index,
            "seed": task.seed,
            "params": task.params,
            "days": task.days,
            "scenario_hash": spec.scenario_hash,
            "settings_hash": spec.settings_hash,
        }
        write_parquet(df, self.replica_path(task.index), meta)

    def read_replicas(self, spec: EnsembleSpec) -> list[pl.DataFrame]:
        """Replicas 0..N-1 (series, period, value), in index order."""
        frames = []
        for k in range(spec.replicas):
            path = self.replica_path(k)
            if not path.exists():
                raise CorridorError(f"{path}: replica {k} is missing; run again with --resume")
            try:
                frames.append(pl.read_parquet(path, columns=["series", "period", "value"]))
            except Exception as exc:  # polars, pyarrow or OS: a damaged file
                raise CorridorError(
                    f"{path}: not a readable replica file ({exc}); remove it and run again "
                    "with --resume"
                ) from None
        return frames

    def write_parameters(self, spec: EnsembleSpec) -> None:
        rows: dict[str, list[Any]] = {"replica": [], "seed": []}
        for name in spec.varied:
            rows[name] = []
        for task in spec.tasks():
            rows["replica"].append(task.index)
            rows["seed"].append(task.seed)
            for name in spec.varied:
                rows[name].append(task.params[name])
        df = pl.DataFrame(rows).with_columns(
            pl.col("replica").cast(pl.Int32), pl.col("seed").cast(pl.UInt64)
        )
        write_parquet(df, self.parameters_path)

    def write_failures(self, failures: list[Failure]) -> None:
        if not failures:
            self.failures_path.unlink(missing_ok=True)
            return
        data = [
            {
                "replica": f.task.index,
                "seed": f.task.seed,
                "params": f.task.params,
                "error": f.error,
                "traceback": f.traceback,
            }
            for f in sorted(failures, key=lambda f: f.task.index)
        ]
        write_json_atomic(self.failures_path, data)
