"""The day-step engine: agent state as arrays, rulesets as Numba kernels. It never reads files."""

from corridor._numba_cache import configure as _configure_numba_cache

NUMBA_CACHE_DIR = _configure_numba_cache()
