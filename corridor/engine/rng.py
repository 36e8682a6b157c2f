"""Counter-based random numbers: the same draws whatever the number of threads.

A draw is a pure function of (run seed, day, round, purpose, agent): a 64-bit key is derived once
per (day, round, purpose) from the run's :class:`numpy.random.SeedSequence`, and each agent's
uniform is SplitMix64's output at the agent's index in the sequence seeded by the key (one
finaliser round over key + index x golden gamma; a second round, as before, cost the day kernel
10 % and bought no test that the first fails: tests/test_rng.py). So an
agent's draws do not depend on which thread handles it, on chunk sizes, or on how many other agents
drew before it, and agents that need no draw cost nothing ("draw only for agents that need them").
Statistical checks are in tests/test_rng.py.
"""

from __future__ import annotations

import numba as nb
import numpy as np

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TWO53 = 1.0 / 9007199254740992.0

# Purposes of draws; each gets its own stream.
MOVE, ROUTE, WALK, SINK = 0, 1, 2, 3
N_PURPOSES = 8


@nb.njit(inline="always", cache=True)
def mix64(z: np.uint64) -> np.uint64:
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@nb.njit(inline="always", cache=True)
def uniform(key: np.uint64, agent: np.int64) -> float:
    """A uniform in [0, 1) for ``agent`` in the stream ``key``."""
    z = mix64(key + np.uint64(agent) * GOLDEN)
    return float(z >> np.uint64(11)) * _TWO53


@nb.njit(cache=True)
def stream_key(root: np.uint64, day: np.int64, round_: np.int64, purpose: np.int64) -> np.uint64:
    """The key of one (day, round, purpose) stream of a run whose root key is ``root``."""
    z = mix64(np.uint64(root) ^ (np.uint64(day + 1) * GOLDEN))
    z = mix64(z ^ (np.uint64(round_ * N_PURPOSES + purpose + 1) * _M1))
    return mix64(z + GOLDEN)


@nb.njit(cache=True)
def stream_keys(root: np.uint64, day: np.int64, round_: np.int64, out: np.ndarray) -> None:
    """``out[k]``: the key of purpose k's stream of (day, round), for every purpose at once."""
    for k in range(len(out)):
        out[k] = stream_key(root, day, round_, k)


def key_for(root: np.uint64, day: int, round_: int, purpose: int) -> np.uint64:
    """:func:`stream_key` for Python callers, typed so kernels treat it as unsigned."""
    return np.uint64(stream_key(np.uint64(root), day, round_, purpose))


def root_key(seed: int) -> np.uint64:
    """A 64-bit root for the counter-based streams, derived from the run seed."""
    return np.random.SeedSequence([seed, 0xC0FF1D0]).generate_state(1, dtype=np.uint64)[0]


def uniforms(key: int | np.uint64, agents: np.ndarray) -> np.ndarray:
    """Vectorised :func:`uniform` (used by tests and by NumPy-side code).

    Keys must reach the kernels as unsigned 64-bit integers: a Python int would be typed as a
    signed one, whose shifts are arithmetic, and the draws would no longer be uniform.
    """
    return _uniforms(np.uint64(key), np.asarray(agents, dtype=np.int64))


@nb.njit(cache=True)
def _uniforms(key: np.uint64, agents: np.ndarray) -> np.ndarray:
    out = np.empty(len(agents))
    for i in range(len(agents)):
        out[i] = uniform(key, agents[i])
    return out
