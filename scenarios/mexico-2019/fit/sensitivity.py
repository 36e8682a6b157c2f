"""How far the responses to the journey's perceived cost can go: the flagship's test-period
results against one parameter (``deterrence_elasticity``: departures follow the success rate that
returnees report; ``departure_cost_response``: departures follow the perceived cost of the
journey; ``transit_cost_response``: people on the way wait while the road ahead is dearer than
usual; ``announcement_belief``: the deal's announced deployment is perceived on its date),
optionally with others held at a value (``--with``). A sensitivity analysis, not a fit: all stay
stated assumptions in scenario.yml, because the training months cannot identify them (departures
are fitted month by month there, so any departure response is absorbed by the fitted
departures, and perceived costs hardly change before June 2019).

For each value and seed, the flagship is run at full scale and validated; written per run: the
monthly change from May 2019 to June, July and August in simulated and observed encounters of
Guatemalans, Hondurans and Salvadorans, the training- and test-period MAPE (October 2018 - May
2019, June - December 2019) of every encounter series and of Mexico's detentions, and Mexico's
detentions January - August 2019 (the reported total is 144,591). Result in
fit/sensitivity_<parameter>.json (docs/flagship.md quotes it). Run from the repository root:

    .venv/bin/python scenarios/mexico-2019/fit/sensitivity.py deterrence_elasticity 0.5,1,2,4
    .venv/bin/python scenarios/mexico-2019/fit/sensitivity.py departure_cost_response 0.02,0.05,0.1
    .venv/bin/python scenarios/mexico-2019/fit/sensitivity.py transit_cost_response 0.1 \\
        --with departure_cost_response=0.1        # another response held at a value
    .venv/bin/python scenarios/mexico-2019/fit/sensitivity.py table   # every sweep, as Markdown
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

import corridor.api as api

if TYPE_CHECKING:
    from corridor.validate.corridor_series import SeriesValidation

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent
RESPONSES = (
    "deterrence_elasticity",
    "departure_cost_response",
    "transit_cost_response",
    "announcement_belief",
)


def change_from_may(series: SeriesValidation, month: str) -> dict[str, float]:
    """Percentage change from May 2019 to ``month``, simulated and observed."""
    may, to = series.periods.index("2019-05"), series.periods.index(month)
    return {
        "simulated_pct": round(100 * (series.simulated[to] / series.simulated[may] - 1), 1),
        "observed_pct": round(100 * (series.observed[to] / series.observed[may] - 1), 1),
    }


def one_run(parameter: str, value: float, seed: int, fixed: dict[str, float]) -> dict[str, object]:
    scenario = api.apply_overrides(api.load(SCENARIO), {**fixed, parameter: value})
    result = api.run(scenario, seed=seed)
    table = result.validation()
    row: dict[str, object] = {"parameter": parameter, "value": value, "seed": seed}
    if fixed:
        row["fixed"] = fixed
    for nat in ("GT", "HN", "SV"):
        s = table[f"encounters_{nat}"]
        for month in ("2019-06", "2019-07", "2019-08"):
            row[f"change_may_{month[-2:]}_{nat}"] = change_from_may(s, month)
    row["mape_train"] = {
        name: round(s.mape_train, 1)
        for name, s in table.items()
        if (name.startswith("encounters_") or name == "mx_detentions") and s.mape_train is not None
    }
    row["mape_test"] = {
        name: round(s.mape_test, 1)
        for name, s in table.items()
        if (name.startswith("encounters_") or name == "mx_detentions") and s.mape_test is not None
    }
    monthly = result.series()
    jan_aug = monthly.filter(
        (pl.col("series") == "mx_detentions")
        & pl.col("period").is_between(pl.lit("2019-01"), pl.lit("2019-08"))
    )
    assert jan_aug.height == 8, "the run must cover January - August 2019"
    row["mx_detentions_jan_aug_2019"] = round(float(jan_aug["value"].sum()))
    return row


def _span(values: list[float], digits: int = 0) -> str:
    """One number, or low to high where the seeds differ."""
    lo, hi = round(min(values), digits) + 0.0, round(max(values), digits) + 0.0  # no "-0"
    fmt = f"{{:.{digits}f}}"
    text = fmt.format(lo) if lo == hi else f"{fmt.format(lo)} to {fmt.format(hi)}"
    return text.replace("-", "−")


def markdown_table() -> str:
    """The sweeps written so far (fit/sensitivity_*.json) as one table, a row per setting with
    the range over its seeds: docs/flagship.md quotes it."""
    head = (
        "| setting | seeds | GT May → Jun, → Aug | HN | SV "
        "| MAPE test GT / HN / SV / MX / other | MX detentions Jan–Aug 2019 |\n"
        "|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for path in sorted(HERE.glob("sensitivity_*.json")):
        groups: dict[str, list[dict]] = {}  # type: ignore[type-arg]
        for row in json.loads(path.read_text()):
            fixed = row.get("fixed", {})
            setting = ", ".join(
                f"{k} {v:g}" for k, v in sorted({**fixed, row["parameter"]: row["value"]}.items())
            )
            groups.setdefault(setting, []).append(row)
        for setting, rows in groups.items():
            cells = []
            for nat in ("GT", "HN", "SV"):
                jun = [r[f"change_may_06_{nat}"]["simulated_pct"] for r in rows]
                aug = [r[f"change_may_08_{nat}"]["simulated_pct"] for r in rows]
                cells.append(f"{_span(jun)}, {_span(aug)} %")
            mape = " / ".join(
                _span([r["mape_test"][f"encounters_{n}"] for r in rows])
                for n in ("GT", "HN", "SV", "MX", "other")
            )
            det = _span([r["mx_detentions_jan_aug_2019"] / 1000 for r in rows])
            seeds = ",".join(str(r["seed"]) for r in rows)
            lines.append(f"| {setting} | {seeds} | {' | '.join(cells)} | {mape} % | {det}k |")
    first = json.loads(next(HERE.glob("sensitivity_*.json")).read_text())[0]
    obs = [
        f"{first[f'change_may_06_{n}']['observed_pct']:.1f}, "
        f"{first[f'change_may_08_{n}']['observed_pct']:.1f} %".replace("-", "−")
        for n in ("GT", "HN", "SV")
    ]
    lines.append(f"| observed | | {' | '.join(obs)} | | 144.6k |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("parameter", choices=[*RESPONSES, "table"])
    parser.add_argument("values", nargs="?", help="comma-separated values of the parameter")
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument(
        "--with",
        dest="fixed",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="another response held at a value for every run (repeatable)",
    )
    args = parser.parse_args()
    if args.parameter == "table":
        print(markdown_table())
        return
    if not args.values:
        parser.error("give the values of the parameter")
    fixed = {}
    for item in args.fixed:
        name, _, value = item.partition("=")
        if name not in RESPONSES or name == args.parameter:
            parser.error(f"--with {item}: expected another of {', '.join(RESPONSES)}")
        fixed[name] = float(value)
    rows = []
    for value in (float(x) for x in args.values.split(",")):
        for seed in (int(x) for x in args.seeds.split(",")):
            row = one_run(args.parameter, value, seed, fixed)
            print(json.dumps(row), flush=True)
            rows.append(row)
    suffix = "".join(f"_with_{k}_{v:g}" for k, v in sorted(fixed.items()))
    out = HERE / f"sensitivity_{args.parameter}{suffix}.json"
    out.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
