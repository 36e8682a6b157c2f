"""corridor: agent-based simulation of migration journeys through border-enforcement corridors.

One agent per person, one step per day; a drop-in, much faster engine for Flee scenarios.
See ``corridor.load`` and ``corridor.run``.
"""

from corridor._version import __version__
from corridor.api import Result, Scenario, load, run
from corridor.errors import CorridorError, InputIssue, RunError, ScenarioError

__all__ = [
    "CorridorError",
    "InputIssue",
    "Result",
    "RunError",
    "Scenario",
    "ScenarioError",
    "__version__",
    "load",
    "run",
]
