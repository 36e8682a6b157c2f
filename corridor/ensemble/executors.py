"""Where replicas run: one ``concurrent.futures.Executor`` interface over three back-ends.

- ``process`` (default): a local ``ProcessPoolExecutor``. Workers are started with the
  ``forkserver`` context (``spawn`` where there is none), never plain ``fork``: forking a process
  that has started Numba's (OpenMP/TBB) threads can deadlock the child.
- ``dask``: an existing Dask cluster, ``tcp://HOST:PORT`` (``Client(address).get_executor()``).
  Workers must have corridor installed; results come back to this process, which writes them, so
  no shared filesystem is needed.
- ``dask-local``: a ``LocalCluster`` of N single-threaded worker processes started for the run.
- ``serial``: in this process, one replica at a time (debugging, tiny runs, tests).

No scheduling is done here beyond submitting futures: the pool or Dask schedules. What this module
adds is the knowledge the runner needs about each back-end: how many replicas can run at once,
which exceptions mean "a worker died" (the replica is re-run) rather than "the model failed", and
how to replace a broken process pool.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing as mp
import os
import signal
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from corridor.errors import CorridorError

KINDS = ("process", "serial", "dask", "dask-local")


@dataclass(frozen=True)
class ExecutorChoice:
    """What the user asked for: a kind, a size (workers) and, for ``dask``, an address."""

    kind: str = "process"
    workers: int | None = None
    address: str | None = None
    retries: int = 1

    def describe(self) -> str:
        if self.kind == "dask":
            return f"Dask cluster at {self.address}"
        if self.kind == "dask-local":
            return f"Dask LocalCluster, {self.workers} workers"
        if self.kind == "serial":
            return "this process (serial)"
        return f"local process pool, {self.workers or _cpus()} workers"


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def parse_executor(
    spec: str | None = None,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
) -> ExecutorChoice:
    """Combine ``--executor``, ``--workers``, ``--scheduler`` and ``--dask-local`` into a choice.

    ``--executor`` accepts ``process``, ``process:N``, ``serial``, ``dask-local:N`` or a scheduler
    address ``tcp://HOST:PORT``; ``--scheduler ADDR`` and ``--dask-local N`` are shorthands.
    """
    given = [x for x in (spec, scheduler, dask_local) if x is not None]
    if len(given) > 1:
        raise CorridorError("give only one of --executor, --scheduler and --dask-local")
    if workers is not None and workers < 1:
        raise CorridorError(f"--workers must be at least 1 (got {workers})")
    if scheduler is not None:
        return ExecutorChoice("dask", address=scheduler)
    if dask_local is not None:
        if dask_local < 1:
            raise CorridorError(f"--dask-local must be at least 1 (got {dask_local})")
        return ExecutorChoice("dask-local", workers=dask_local)
    if spec is None:
        return ExecutorChoice("process", workers=workers)
    text = spec.strip()
    if "://" in text:
        return ExecutorChoice("dask", address=text)
    kind, _, size = text.partition(":")
    if kind not in KINDS or kind == "dask":
        raise CorridorError(
            f"--executor '{spec}': expected process[:N], serial, dask-local:N or tcp://HOST:PORT"
        )
    n = workers
    if size:
        try:
            n = int(size)
        except ValueError:
            raise CorridorError(f"--executor '{spec}': '{size}' is not a number") from None
        if n < 1:
            raise CorridorError(f"--executor '{spec}': needs at least 1 worker")
    if kind == "dask-local" and n is None:
        n = _cpus()
    return ExecutorChoice(kind, workers=n)


class SerialExecutor(cf.Executor):
    """Runs each call at submission, in this process; the future is already done."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        fut: cf.Future[Any] = cf.Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except Exception as exc:
            fut.set_exception(exc)
        return fut


class ExecutorHandle:
    """An executor plus what the runner needs to know about it; a context manager.

    ``executor`` may change after ``renew()`` (a broken process pool is replaced).
    """

    description = "executor"

    def __init__(self, executor: cf.Executor) -> None:
        self.executor = executor

    def slots(self) -> int:
        """How many replicas can run at the same time (the runner keeps twice that in flight)."""
        return 1

    def is_worker_loss(self, exc: BaseException) -> bool:
        """True if ``exc`` means the process running the replica died (not the model failing)."""
        return isinstance(exc, cf.BrokenExecutor)

    def renew(self) -> None:
        """Replace a broken executor; the default cannot, so the worker loss is an error."""
        raise CorridorError(f"{self.description} broke and cannot be restarted")

    def close(self, cancel: bool = False) -> None:
        self.executor.shutdown(wait=not cancel, cancel_futures=cancel)

    def __enter__(self) -> ExecutorHandle:
        return self

    def __exit__(
        self,
        et: type[BaseException] | None,
        ev: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(cancel=et is not None)


class SerialHandle(ExecutorHandle):
    description = "this process (serial)"

    def __init__(self) -> None:
        super().__init__(SerialExecutor())


def _init_process_worker(threads: int) -> None:
    """Process-pool worker set-up: Ctrl-C is the parent's to handle; share the CPUs fairly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import numba

    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))


def pool_context() -> mp.context.BaseContext:
    """``forkserver`` where available, else ``spawn``: never fork a process with Numba threads."""
    methods = mp.get_all_start_methods()
    return mp.get_context("forkserver" if "forkserver" in methods else "spawn")


class ProcessHandle(ExecutorHandle):
    """A local process pool; replaced by a fresh one when a worker dies."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or _cpus()
        self.threads = max(1, _cpus() // self.workers)
        self.description = f"local process pool, {self.workers} workers"
        super().__init__(self._new())

    def _new(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=pool_context(),
            initializer=_init_process_worker,
            initargs=(self.threads,),
        )

    def slots(self) -> int:
        return self.workers

    def is_worker_loss(self, exc: BaseException) -> bool:
        return isinstance(exc, BrokenProcessPool)

    def renew(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new()


class DaskHandle(ExecutorHandle):
    """A Dask cluster (at an address, or a LocalCluster started here) behind ``get_executor()``.

    Dask itself re-runs the tasks of a worker that dies (up to the scheduler's
    ``allowed-failures``); ``retries`` re-runs a task whose call raised. Replicas report model
    errors as values, so ``retries`` only covers failures around the call (e.g. deserialisation).
    A ``KilledWorker`` (a task that outlived too many workers) comes back to the runner as a
    worker loss, and the runner resubmits it up to its own attempt limit.
    """

    def __init__(self, choice: ExecutorChoice) -> None:
        from distributed import Client, LocalCluster

        self.cluster: Any = None
        if choice.kind == "dask-local":
            n = choice.workers or _cpus()
            self.cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
                env={"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
            )
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(choice.address, timeout="20s")
            except OSError as exc:
                raise CorridorError(
                    f"cannot reach the Dask scheduler {choice.address}: {exc}"
                ) from None
        self.description = choice.describe()
        self.retries = choice.retries
        super().__init__(self.client.get_executor(pure=False, retries=self.retries))

    def slots(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def is_worker_loss(self, exc: BaseException) -> bool:
        from distributed.comm.core import CommClosedError
        from distributed.scheduler import KilledWorker

        return isinstance(exc, KilledWorker | CommClosedError | cf.CancelledError)

    def renew(self) -> None:
        # The Client survives worker deaths; a fresh executor view is all that is needed.
        self.executor = self.client.get_executor(pure=False, retries=self.retries)

    def close(self, cancel: bool = False) -> None:
        try:
            self.executor.shutdown(wait=not cancel)
        finally:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()


def open_executor(choice: ExecutorChoice | None = None) -> ExecutorHandle:
    """Start what ``choice`` names (a process pool by default) and return its handle."""
    choice = choice or ExecutorChoice()
    if choice.kind == "serial":
        return SerialHandle()
    if choice.kind == "process":
        return ProcessHandle(choice.workers)
    return DaskHandle(choice)


ExecutorLike = cf.Executor | ExecutorHandle | ExecutorChoice | None


@contextmanager
def executor_scope(executor: ExecutorLike) -> Iterator[ExecutorHandle]:
    """A handle for ``executor``: a handle is lent (not closed here), a choice or ``None`` (a
    process pool) is started and closed here, a plain ``Executor`` is wrapped and left open."""
    if isinstance(executor, ExecutorHandle):
        yield executor
        return
    if executor is None or isinstance(executor, ExecutorChoice):
        with open_executor(executor) as handle:
            yield handle
        return
    yield _ForeignHandle(executor)


class _ForeignHandle(ExecutorHandle):
    """A caller's own Executor: used as is, never shut down by corridor."""

    description = "caller's executor"

    def slots(self) -> int:
        return max(1, int(getattr(self.executor, "_max_workers", 1) or 1))

    def close(self, cancel: bool = False) -> None:
        pass
