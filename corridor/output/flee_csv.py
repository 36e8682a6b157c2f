"""``out.csv`` in Flee 3.1's column layout and number formatting, so Flee's own tools read it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from corridor.compile.flee import FleeModel
from corridor.engine.flee_engine import FleeRecord


def _rel_error(sim: int, data: int) -> float:
    """Flee's ``rel_error``: |sim/data - 1| rounded to 4 places, 0 where data < 1e-5. The
    rounding is NumPy's (scale by 10^4, round half to even, scale back), as Flee rounds a NumPy
    float: Python's correctly rounded ``round`` differs in the 4th place for about one pair in
    1,500 (sim 7, data 160: 0.9562 in Flee, 0.9563 by Python's rule)."""
    if data < 0.00001:
        return 0.0
    return float(np.round(np.abs(np.float64(sim) / np.float64(data) - 1.0), 4))


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
    idp_totals = model.settings.log_levels.idp_totals > 0
    if idp_totals:  # Flee 3.1's run.py appends it with this log level
        header.append("total IDPs")
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
        if idp_totals:  # agents at places flagged as IDP camps that day (Ecosystem.numIDPs)
            row.append(int(rec.loc_counts[t, model.idpcamp[t]].sum()))
        rows.append(row)
    return header, rows


def write_flee_out_csv(path: Path, model: FleeModel, rec: FleeRecord) -> None:
    header, rows = flee_out_rows(model, rec)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(str(v) for v in row) + "\n")
