"""Great-circle geometry shared by the compile stages of both rulesets."""

from __future__ import annotations

from typing import Any

import numpy as np


def haversine(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """The haversine of the central angle between points given in radians (arrays broadcast).
    It grows with the great-circle distance, so the nearest point has its smallest value; the
    distance is ``2 R arctan2(sqrt(h), sqrt(1 - h))``."""
    return (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
