"""Ensembles: many replicas of a scenario over seeds and parameter draws, summarised into bands.

Replicas run on a ``concurrent.futures.Executor`` (local processes, or a Dask cluster), are
stored one file each as they finish, and are merged into quantile bands. See docs/ensembles.md.
"""

from corridor.ensemble.bands import quantile_bands
from corridor.ensemble.designs import Design, ParamRange, parse_range
from corridor.ensemble.ensemble import EnsembleResult, ReplicasFailedError, run_ensemble
from corridor.ensemble.executors import (
    ExecutorChoice,
    ExecutorHandle,
    executor_scope,
    open_executor,
    parse_executor,
)
from corridor.ensemble.paired import PairedRuns, delta_bands, paired_deltas, run_pairs
from corridor.ensemble.sampling import Vary, parse_vary, replica_params, replica_seed
from corridor.ensemble.store import ReplicaStore
from corridor.ensemble.worker import ReplicaTask, SeriesMeasure

__all__ = [
    "Design",
    "EnsembleResult",
    "ExecutorChoice",
    "ExecutorHandle",
    "PairedRuns",
    "ParamRange",
    "ReplicaStore",
    "ReplicaTask",
    "ReplicasFailedError",
    "SeriesMeasure",
    "Vary",
    "delta_bands",
    "executor_scope",
    "open_executor",
    "paired_deltas",
    "parse_executor",
    "parse_range",
    "parse_vary",
    "quantile_bands",
    "replica_params",
    "replica_seed",
    "run_ensemble",
    "run_pairs",
]
