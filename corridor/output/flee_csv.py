"""``out.csv`` in Flee 3.1's column layout and number formatting, so Flee's own tools read it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from corridor.compile.flee import FleeModel
from corridor.engine.flee_engine import FleeRecord


def _rel_error(sim: int, data: int) -> float:
    """Flee's ``rel_error``: |sim/data - 1| rounded to 4 places, 0 where data < 1e-5."""
    if data < 0.00001:
        return 0.0
    return round(float(np.abs(float(sim) / float(data) - 1)), 4)


def _abs_error(sim: int, data: int) -> float:
    return round(float(np.abs(float(sim) - float(data))), 4)


def flee_out_rows(model: FleeModel, rec: FleeRecord) -> tuple[list[str], list[list[object]]]:
    """Header and rows of out.csv, one row per day, values as Flee 3.1 computes them."""
    camps = [model.loc_names[i] for i in model.camp_idx]
    header = ["Day", "Date"]
    for c in camps:
        header += [f"{c} sim", f"{c} data", f"{c} error"]
    header += [
        "Total error",
        "refugees in camps (UNHCR)",
        "total refugees (simulation)",
        "raw UNHCR refugee count",
        "refugees in camps (simulation)",
        "refugee_debt",
    ]
    rows: list[list[object]] = []
    for t in range(model.days):
        date = model.start_date + dt.timedelta(days=t)
        row: list[object] = [t, date.strftime("%Y-%m-%d")]
        sims = [int(rec.loc_counts[t, i]) for i in model.camp_idx]
        datas = [int(v) for v in model.camp_data[t]]
        abs_errors = [_abs_error(a, b) for a, b in zip(sims, datas, strict=True)]
        for a, b in zip(sims, datas, strict=True):
            row += [a, b, _rel_error(a, b)]
        raw = int(model.raw_total[t])
        if raw > 0:
            row += [
                float(np.sum(abs_errors)) / float(raw),
                int(sum(datas)),
                int(rec.n_agents[t]),
                raw,
                int(sum(sims)),
                int(model.debt[t]),
            ]
        else:
            row += [0, 0, 0, 0, 0, 0]
        rows.append(row)
    return header, rows


def write_flee_out_csv(path: Path, model: FleeModel, rec: FleeRecord) -> None:
    header, rows = flee_out_rows(model, rec)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(str(v) for v in row) + "\n")
