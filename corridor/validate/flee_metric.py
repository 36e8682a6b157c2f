"""Flee's validation error, computed from an ``out.csv`` exactly as Flee's script does.

Flee 3.1's ``postprocessing/extract-validation-results.py`` (which FabFlee's ``validate_flee``
calls): for each day t,

    E(t) = sum over camps of |sim_c * U / S - data_c| / max(U, 1)

with U the observed camps' total ("refugees in camps (UNHCR)") and S the simulated one ("refugees in
camps (simulation)"); the rescaled value of a camp is 0 on days when S = 0, and each absolute
difference is rounded to 4 decimals before the sum, as in Flee. "Error (rescaled)" is the mean of
E(t) over all days; "Error (normal)" is the same without rescaling.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corridor.errors import IssueLog

ROUND = 4


@dataclass
class FleeValidation:
    days: int
    camps: list[str]
    error_rescaled: float
    error_normal: float
    daily_rescaled: np.ndarray
    daily_normal: np.ndarray
    per_camp_rescaled: dict[str, float]
    per_camp_normal: dict[str, float]
    agents: int
    dates: list[str]

    def window(self, first: str | None = None, last: str | None = None) -> dict[str, float]:
        """Mean rescaled and normal error over the days whose date is in [first, last]."""
        keep = np.array(
            [(first is None or d >= first) and (last is None or d <= last) for d in self.dates]
        )
        if not keep.any():
            return {"days": 0, "error_rescaled": float("nan"), "error_normal": float("nan")}
        return {
            "days": int(keep.sum()),
            "error_rescaled": float(np.mean(self.daily_rescaled[keep])),
            "error_normal": float(np.mean(self.daily_normal[keep])),
        }

    def as_dict(self, scenario: str) -> dict[str, object]:
        return {
            "scenario": scenario,
            "days": self.days,
            "agents": self.agents,
            "error_rescaled": self.error_rescaled,
            "error_normal": self.error_normal,
            "per_camp": {
                c: {"rescaled": self.per_camp_rescaled[c], "normal": self.per_camp_normal[c]}
                for c in self.camps
            },
        }


def read_out_csv(path: str | Path) -> tuple[list[str], dict[str, np.ndarray], list[str]]:
    """Columns of a Flee-layout out.csv as float arrays; raises ScenarioError if malformed."""
    path = Path(path)
    log = IssueLog(str(path.parent))
    rel = path.name
    if not path.exists():
        log.error(rel, "an out.csv in the run folder (is this a run of a Flee scenario?)")
        log.raise_if_errors()
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
    except UnicodeDecodeError as exc:
        log.error(rel, "UTF-8 text (a Flee out.csv)", value=f"byte {exc.start} not UTF-8")
        log.raise_if_errors()
    except (OSError, csv.Error) as exc:
        log.error(rel, "a readable CSV file", value=str(exc))
        log.raise_if_errors()
    if len(rows) < 2:
        log.error(rel, "a header and at least one day")
        log.raise_if_errors()
    header = rows[0]
    needed = ["Day", "refugees in camps (UNHCR)", "refugees in camps (simulation)"]
    for name in needed:
        if name not in header:
            log.error(rel, f"a column '{name}'", line=1)
    log.raise_if_errors()
    data: dict[str, list[float]] = {h: [] for h in header}
    for k, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            log.error(rel, f"{len(header)} columns", line=k, value=f"{len(row)} columns")
            continue
        for h, v in zip(header, row, strict=True):
            if h == "Date":
                continue
            try:
                data[h].append(float(v))
            except ValueError:
                log.error(rel, "a number", line=k, column=h, value=v)
    log.raise_if_errors()
    camps = [h[: -len(" sim")] for h in header if h.endswith(" sim") and "numAgents" not in h]
    for camp in camps:
        if f"{camp} data" not in header:
            log.error(rel, f"a column '{camp} data' beside '{camp} sim'", line=1)
    log.raise_if_errors()
    dates = [row[header.index("Date")] for row in rows[1:]] if "Date" in header else []
    arrays = {h: np.asarray(v, dtype=np.float64) for h, v in data.items() if h != "Date"}
    return camps, arrays, dates


def flee_validation(out_csv: str | Path) -> FleeValidation:
    camps, cols, dates = read_out_csv(out_csv)
    simtot = cols["refugees in camps (simulation)"]
    untot = cols["refugees in camps (UNHCR)"]
    denom = np.maximum(untot, np.ones(len(untot)))
    sum_resc = None
    sum_norm = None
    per_resc: dict[str, float] = {}
    per_norm: dict[str, float] = {}
    for camp in camps:
        y1 = cols[f"{camp} sim"]
        y2 = cols[f"{camp} data"]
        y1_rescaled = np.zeros(len(y1))
        for i in range(len(y1_rescaled)):
            if simtot[i] > 0:
                y1_rescaled[i] = y1[i] * untot[i] / simtot[i]
        d_norm = np.round(np.abs(y1 - y2), ROUND)
        d_resc = np.round(np.abs(y1_rescaled - y2), ROUND)
        sum_norm = d_norm if sum_norm is None else np.add(sum_norm, d_norm)
        sum_resc = d_resc if sum_resc is None else np.add(sum_resc, d_resc)
        per_resc[camp] = float(np.mean(d_resc / denom))
        per_norm[camp] = float(np.mean(d_norm / denom))
    n = len(untot)
    if sum_resc is None or sum_norm is None:
        sum_resc = np.zeros(n)
        sum_norm = np.zeros(n)
    daily_resc = sum_resc / denom
    daily_norm = sum_norm / denom
    total_col = cols.get("total refugees (simulation)")
    agents = int(total_col.max()) if total_col is not None and len(total_col) else 0
    return FleeValidation(
        days=n,
        camps=camps,
        error_rescaled=float(np.mean(daily_resc)),
        error_normal=float(np.mean(daily_norm)),
        daily_rescaled=daily_resc,
        daily_normal=daily_norm,
        per_camp_rescaled=per_resc,
        per_camp_normal=per_norm,
        agents=agents,
        dates=dates,
    )
