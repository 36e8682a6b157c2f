"""The flagship's validation over an ensemble: what issue 3's targets are judged on.

Reads the replicas of `corridor ensemble scenarios/mexico-2019 --replicas N ...` (each replica's
monthly series) and validates every replica against the scenario's observed data, with the same
rules as `corridor validate` (training months up to `train_until`, test months after). Written per
quantity, as median and range over the replicas:

- the change in encounters of Guatemalans, Hondurans and Salvadorans from May 2019 to June and to
  August, against the observed change;
- the training- and test-period MAPE of every observed monthly series, and the test period cut
  in two: the deal's first three months (June - August 2019) and the four after (September -
  December), each with its MAPE and its simulated over observed total, so that a test MAPE says
  when the model went wrong and in which direction;
- Mexico's detentions January - August 2019 (the reported total is 144,591);
- dead and missing per IOM region in 2019, and their ratio to IOM's count.

Result in fit/ensemble_<name>.json, and a Markdown summary on standard output. Run from the
repository root:

    .venv/bin/corridor ensemble scenarios/mexico-2019 --replicas 10 --seed 0 --out runs/ens
    .venv/bin/python scenarios/mexico-2019/fit/ensemble_validation.py runs/ens --name shipped
    .venv/bin/python scenarios/mexico-2019/fit/ensemble_validation.py --table shipped responses
    .venv/bin/python scenarios/mexico-2019/fit/ensemble_validation.py --windows shipped responses

The last two forms print the tables of docs/flagship.md from two saved results, side by side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
from pathlib import Path

import polars as pl

import corridor.api as api
from corridor.ensemble.store import ReplicaStore
from corridor.validate.corridor_series import mape as series_mape
from corridor.validate.corridor_series import validate_series

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent
REPORTED_DETENTIONS_JAN_AUG_2019 = 144_591  # SOURCES.md, observed/mexico_detentions_returns.csv
# The test period in two: the deal's first three months, and the rest of 2019 (first and last
# month, inclusive).
TEST_WINDOWS = {"jun_aug": ("2019-06", "2019-08"), "sep_dec": ("2019-09", "2019-12")}


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
    }


def _change(values: dict[str, float], month: str) -> float:
    return 100.0 * (values[month] / values["2019-05"] - 1.0)


def _windows(periods: list[str], observed: list[float], simulated: list[float]) -> dict:  # type: ignore[type-arg]
    """Per test window with observed months: the MAPE over its months (the rule of `corridor
    validate`) and its simulated total over its observed total."""
    out = {}
    for window, (lo, hi) in TEST_WINDOWS.items():
        keep = [len(p) == 7 and lo <= p <= hi for p in periods]
        value = series_mape(observed, simulated, keep)
        if value is not None:  # a month observed above 0, so the window's total is too
            obs = sum(o for o, k in zip(observed, keep, strict=True) if k)
            sim = sum(x for x, k in zip(simulated, keep, strict=True) if k)
            out[window] = {"mape": value, "ratio": sim / obs}
    return out


def _replicas_and_last_day(
    ens_dir: Path, start: dt.date, end: dt.date
) -> tuple[list[Path], dt.date]:
    """The ensemble's replica files and the last day its runs simulated, as its ensemble.json
    records them: files of replicas beyond its count (left by a larger run that ``--resume``
    cut down) are not read, and a run shortened with ``--days`` is validated only over the
    periods it covers whole, as `corridor validate` does."""
    store = ReplicaStore(ens_dir)
    if not store.spec_path.exists():
        raise SystemExit(f"{store.spec_path}: not found (run corridor ensemble first)")
    spec = store.read_spec()
    paths = [store.replica_path(k) for k in range(spec.replicas)]
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        raise SystemExit(
            f"{store.replica_dir}: {len(missing)} of {spec.replicas} replica files missing "
            "(finish the ensemble with corridor ensemble --resume)"
        )
    days = spec.days
    last_day = end if days is None else min(end, start + dt.timedelta(days=days - 1))
    return paths, last_day


def validate_replicas(ens_dir: Path) -> dict[str, object]:
    scenario = api.load(SCENARIO)
    spec = scenario.spec
    paths, last_day = _replicas_and_last_day(ens_dir, spec.start_date, spec.end_date)
    changes: dict[str, list[float]] = {}
    observed_change: dict[str, float] = {}
    mape: dict[str, dict[str, list[float]]] = {}
    by_window: dict[str, dict[str, dict[str, list[float]]]] = {}
    detentions: list[float] = []
    deaths: dict[str, list[float]] = {}
    deaths_observed: dict[str, float] = {}
    for path in paths:
        frame = pl.read_parquet(path).select("series", "period", "value")
        table = validate_series(
            frame, scenario.observed, spec.train_until, spec.start_date, last_day
        )
        for nat in ("GT", "HN", "SV"):
            s = table[f"encounters_{nat}"]
            sim = dict(zip(s.periods, s.simulated, strict=True))
            obs = dict(zip(s.periods, s.observed, strict=True))
            for month in ("2019-06", "2019-08"):
                key = f"{nat} May->{month[-2:]}"
                changes.setdefault(key, []).append(_change(sim, month))
                observed_change[key] = round(_change(obs, month), 1)
        for name, s in table.items():
            for window, value in (("train", s.mape_train), ("test", s.mape_test)):
                if value is not None:
                    mape.setdefault(name, {}).setdefault(window, []).append(value)
            for window, got in _windows(s.periods, s.observed, s.simulated).items():
                for measure, value in got.items():
                    per = by_window.setdefault(name, {}).setdefault(window, {})
                    per.setdefault(measure, []).append(value)
            if name.startswith("deaths_") and "2019" in s.periods:
                i = s.periods.index("2019")
                deaths.setdefault(name, []).append(s.simulated[i])
                deaths_observed[name] = s.observed[i]
        monthly = frame.filter(
            (pl.col("series") == "mx_detentions")
            & pl.col("period").is_between(pl.lit("2019-01"), pl.lit("2019-08"))
        )
        if monthly.height != 8:
            raise SystemExit(f"{path}: the replica must cover January - August 2019")
        detentions.append(float(monthly["value"].sum()))
    return {
        "ensemble": str(ens_dir),
        "replicas": len(paths),
        "overrides": json.loads((ens_dir / "ensemble.json").read_text()).get("overrides", {}),
        "change_pct": {
            k: {**_summary(v), "observed": observed_change[k]} for k, v in changes.items()
        },
        "mape_pct": {
            name: {w: _summary(v) for w, v in windows.items()} for name, windows in mape.items()
        },
        "test_windows": {
            name: {
                w: {measure: _summary(v) for measure, v in got.items()} for w, got in per.items()
            }
            for name, per in by_window.items()
        },
        "mx_detentions_jan_aug_2019": {
            **_summary(detentions),
            "reported": REPORTED_DETENTIONS_JAN_AUG_2019,
        },
        "dead_and_missing_2019": {
            name: {
                **_summary(v),
                "observed": deaths_observed[name],
                "ratio_of_median": round(statistics.median(v) / deaths_observed[name], 2)
                if deaths_observed[name] > 0
                else None,
            }
            for name, v in deaths.items()
        },
    }


def span(d: dict[str, float], digits: int = 1, sep: str = "", minus: str = "-") -> str:
    """``median (min to max)`` of a summary; ``sep`` groups thousands, ``minus`` is the sign
    printed (the docs' tables use the typographic one)."""
    f = f"{sep}.{digits}f"
    return f"{d['median']:{f}} ({d['min']:{f}} to {d['max']:{f}})".replace("-", minus)


def markdown(result: dict) -> str:  # type: ignore[type-arg]
    lines = [
        f"{result['replicas']} replicas of {result['ensemble']}, overrides "
        f"{result['overrides'] or 'none'}: median (range over replicas)",
        "",
        "| quantity | simulated | observed |",
        "|---|---|---|",
    ]
    for key, d in result["change_pct"].items():
        lines.append(f"| encounters {key} (%) | {span(d)} | {d['observed']} |")
    det = result["mx_detentions_jan_aug_2019"]
    lines.append(f"| MX detentions Jan–Aug 2019 | {span(det, 0)} | {det['reported']} |")
    for name, windows in result["mape_pct"].items():
        if name.startswith("deaths_"):
            continue
        cells = ", ".join(f"{w} {span(d)}" for w, d in windows.items())
        lines.append(f"| MAPE {name} (%) | {cells} | |")
    for name, per in result.get("test_windows", {}).items():
        for w, got in per.items():
            lines.append(
                f"| MAPE {name}, {WINDOW_LABEL[w]} (%); simulated / observed | "
                f"{span(got['mape'])}; {span(got['ratio'], 2)} | |"
            )
    for name, d in result["dead_and_missing_2019"].items():
        lines.append(
            f"| {name} 2019 | {span(d, 0)} (× {d['ratio_of_median']}) | {d['observed']:.0f} |"
        )
    return "\n".join(lines)


WINDOW_LABEL = {"jun_aug": "June–August 2019", "sep_dec": "September–December 2019"}


def windows_table(first: dict, second: dict) -> str:  # type: ignore[type-arg]
    """The test period in two windows for two saved results (docs/flagship.md): per monthly
    series, the median MAPE and the median simulated over observed total of each window."""

    def cell(got: dict) -> str:  # type: ignore[type-arg]
        return f"{got['mape']['median']:.0f} % (× {got['ratio']['median']:.2f})"

    head = " | ".join(f"{WINDOW_LABEL[w]}, {which}" for which in ("as validated", "with the "
                      "responses") for w in TEST_WINDOWS)  # fmt: skip
    lines = [f"| series | {head} |", "|---" * (1 + 2 * len(TEST_WINDOWS)) + "|"]
    for name, per in first["test_windows"].items():
        other = second["test_windows"].get(name, {})
        cells = [cell(per[w]) if w in per else "–" for w in TEST_WINDOWS]
        cells += [cell(other[w]) if w in other else "–" for w in TEST_WINDOWS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def side_by_side(first: dict, second: dict) -> str:  # type: ignore[type-arg]
    """Two saved results as one Markdown table (docs/flagship.md): the issue's falls, the test
    MAPE of every monthly series, Mexico's detentions January - August 2019 and dead and missing
    per zone in 2019, each as median (range over the replicas)."""

    def cell(d: dict[str, float], digits: int = 1, sep: str = "") -> str:
        return span(d, digits, sep, minus="−")

    months = {"06": "June", "08": "August"}
    lines = ["| quantity | as validated | with the responses | observed |", "|---|---|---|---|"]
    for key, d in first["change_pct"].items():
        nat, month = key.split(" May->")
        label = f"encounters {nat}, May → {months.get(month, month)} 2019 (%)"
        observed = f"{d['observed']}".replace("-", "−")
        lines.append(f"| {label} | {cell(d)} | {cell(second['change_pct'][key])} | {observed} |")
    for name, windows in first["mape_pct"].items():
        if name.startswith("deaths_") or "test" not in windows:
            continue
        test = second["mape_pct"][name]["test"]
        lines.append(
            f"| MAPE {name}, test (%) | {cell(windows['test'], 0)} | {cell(test, 0)} "
            "| target ≤ 25 |"
        )
    det, det2 = first["mx_detentions_jan_aug_2019"], second["mx_detentions_jan_aug_2019"]
    lines.append(
        f"| Mexico's detentions, Jan–Aug 2019 | {cell(det, 0, ',')} | {cell(det2, 0, ',')} "
        f"| {det['reported']:,} |"
    )
    for name, d in first["dead_and_missing_2019"].items():
        d2 = second["dead_and_missing_2019"][name]
        zone = name.removeprefix("deaths_").replace("_", " ")
        lines.append(
            f"| dead and missing 2019, {zone} | {count(d['median'])} (× {d['ratio_of_median']}) "
            f"| {count(d2['median'])} (× {d2['ratio_of_median']}) | {d['observed']:.0f} |"
        )
    return "\n".join(lines)


def count(x: float) -> str:
    """A median count: whole, or with its half (the median of an even number of replicas), which
    a rounding to whole numbers would send to the even neighbour."""
    return f"{x:.0f}" if x == int(x) else f"{x:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ensemble", type=Path, nargs="?", help="an ensemble folder of the flagship")
    parser.add_argument("--name", help="written to fit/ensemble_<name>.json")
    parser.add_argument(
        "--table",
        nargs=2,
        metavar=("FIRST", "SECOND"),
        help="print fit/ensemble_FIRST.json and fit/ensemble_SECOND.json side by side",
    )
    parser.add_argument(
        "--windows",
        nargs=2,
        metavar=("FIRST", "SECOND"),
        help="print the test windows of fit/ensemble_FIRST.json and fit/ensemble_SECOND.json",
    )
    args = parser.parse_args()
    for names, table in ((args.windows, windows_table), (args.table, side_by_side)):
        if names:
            print(table(*(json.loads((HERE / f"ensemble_{n}.json").read_text()) for n in names)))
            return
    if args.ensemble is None or not args.name:
        parser.error("give an ensemble folder and --name, or --table FIRST SECOND")
    result = validate_replicas(args.ensemble)
    (HERE / f"ensemble_{args.name}.json").write_text(json.dumps(result, indent=1) + "\n")
    print(markdown(result))


if __name__ == "__main__":
    main()
