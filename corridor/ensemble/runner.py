"""Submit replicas to an executor, hand each result over as it arrives, re-run lost ones.

The runner keeps at most twice the executor's slots in flight (so Ctrl-C stops quickly and memory
stays flat however many replicas there are), and sorts out three ends of a replica:

- a value: ``on_result(task, payload)`` is called at once, in this process (it stores the replica);
- a model error (an :class:`Outcome` with ``error``): recorded as a :class:`Failure` with the
  replica's seed and parameters; the other replicas go on;
- no value because the worker died (``BrokenProcessPool``, Dask ``KilledWorker``...): the replica
  is submitted again, up to ``max_attempts`` times in all; a broken process pool is replaced.

Results are keyed by the task, never by arrival order, so what is stored does not depend on which
worker ran what or when.
"""

from __future__ import annotations

import concurrent.futures as cf
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from corridor.ensemble.executors import ExecutorHandle
from corridor.ensemble.worker import Measure, Outcome, ReplicaTask, execute

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Failure:
    """A replica that did not finish: which one, and why."""

    task: ReplicaTask
    error: str
    traceback: str | None = None

    def describe(self) -> str:
        return f"{self.task.describe()}: {self.error}"


@dataclass
class RunStats:
    """What happened: replicas finished here, failures, re-submissions after worker loss."""

    completed: list[tuple[str, int]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    resubmitted: int = 0
    duplicates: int = 0
    seconds: float = 0.0


class Progress(Protocol):
    """Receives counts as replicas finish (the CLI draws a rich progress bar from them)."""

    def update(self, done: int, running: int, failed: int) -> None: ...


def run_tasks(
    scenarios: Mapping[str, Any],
    tasks: Iterable[ReplicaTask],
    handle: ExecutorHandle,
    measure: Measure,
    on_result: Callable[[ReplicaTask, Any], None],
    *,
    progress: Progress | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    fn: Callable[..., Outcome] = execute,
) -> RunStats:
    """Run every task once to an end (a stored result or a recorded failure); see module doc."""
    t0 = time.perf_counter()
    stats = RunStats()
    pending: deque[ReplicaTask] = deque(tasks)
    attempts: Counter[tuple[str, int]] = Counter()
    finished: set[tuple[str, int]] = set()
    inflight: dict[cf.Future[Outcome], ReplicaTask] = {}

    def report() -> None:
        if progress is not None:
            running = min(len(inflight), slots)
            progress.update(len(stats.completed), running, len(stats.failures))

    def settle(fut: cf.Future[Outcome], task: ReplicaTask) -> bool:
        """Deal with one finished future; True if it showed the executor is broken."""
        try:
            outcome = fut.result()
        except BaseException as exc:
            if not handle.is_worker_loss(exc):
                if not isinstance(exc, Exception):
                    raise
                stats.failures.append(Failure(task, f"{type(exc).__name__}: {exc}"))
                return False
            if attempts[task.key] >= max_attempts:
                msg = f"its worker died {attempts[task.key]} times ({type(exc).__name__})"
                stats.failures.append(Failure(task, msg))
            else:
                pending.appendleft(task)
                stats.resubmitted += 1
            return isinstance(exc, cf.BrokenExecutor)
        if task.key in finished:  # a lost-and-recomputed duplicate: keep the first
            stats.duplicates += 1
            return False
        if outcome.error is not None:
            stats.failures.append(Failure(task, outcome.error, outcome.traceback))
        else:
            on_result(task, outcome.payload)
            finished.add(task.key)
            stats.completed.append(task.key)
        return False

    slots = handle.slots()
    try:
        report()
        while pending or inflight:
            slots = handle.slots()  # asked once a round: on Dask it is a scheduler call
            room = 2 * slots
            broken = False
            while pending and len(inflight) < room:
                task = pending.popleft()
                attempts[task.key] += 1
                try:
                    fut = handle.executor.submit(fn, scenarios[task.scenario], task, measure)
                except cf.BrokenExecutor as exc:
                    # A worker died since the last round and the pool noticed before any future
                    # did. The task goes back like a lost one, and it uses an attempt, so a
                    # pool that breaks again at every start cannot loop for ever.
                    fail: cf.Future[Outcome] = cf.Future()
                    fail.set_exception(exc)
                    settle(fail, task)
                    broken = True
                    break
                inflight[fut] = task
            if not broken:
                done, _ = cf.wait(list(inflight), return_when=cf.FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: inflight[f].key):
                    broken |= settle(fut, inflight.pop(fut))
            if broken:
                # Every future of a broken pool ends (with a result or the same error): settle
                # them all, then start a fresh pool for what is left.
                rest, _ = cf.wait(list(inflight))
                for fut in sorted(rest, key=lambda f: inflight[f].key):
                    settle(fut, inflight.pop(fut))
                handle.renew()
            report()
    except BaseException:
        for fut in inflight:
            fut.cancel()
        raise
    finally:
        stats.seconds = time.perf_counter() - t0
    return stats
