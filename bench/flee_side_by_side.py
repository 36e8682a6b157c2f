"""Flee 3.1 and corridor side by side on the peer Flee scenarios: wall time, agents, error.

Run with the project's virtual environment::

    .venv/bin/python bench/flee_side_by_side.py [--scenarios mali2012,...] [--days 30] \
        [--flee-days D] [--seeds 0,1,2,3,4] [--skip-flee] [--skip-corridor] [--flee-full] \
        [--shared ../shared] [--out bench/results/flee_side_by_side.json]

For every scenario under SHARED/peer/flee-scenarios/ it

1. times Flee 3.1 (``bench/flee_driver.py`` in ``bench/.venv-flee``, created here if missing) and
   corridor (``corridor run``) on the same number of days (``--flee-days``, default ``--days``;
   0 means the scenario's full length), seed = first of ``--seeds``, one after the other, and
   reports flee_seconds / corridor_seconds, both being the wall time of the whole subprocess
   (start-up, set-up and JIT included, as Flee's reference numbers include its set-up);
2. runs corridor at full length for every seed and reads ``corridor validate --json``: mean and
   sd of its error, compared with Flee 3.1's full-length error from
   ``peer/flee-scenarios/flee31-reference.json`` (``--flee-full`` reruns Flee at full length);
3. computes Flee's validation metric itself on both timed out.csv files (rescaled and normal);
4. writes one JSON record per scenario and prints a Markdown table. A failing scenario (or half
   of one) is recorded with its error message; the others still run.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
FLEE_VENV = BENCH / ".venv-flee"
FLEE_PY = FLEE_VENV / "bin" / "python"
DRIVER = BENCH / "flee_driver.py"
CORRIDOR = REPO / ".venv" / "bin" / "corridor"
WORK = BENCH / "work" / "side_by_side"

SCENARIOS = ["mali2012", "burundi2015", "tigray2020", "car2013", "ssudan2013", "nigeria2016"]

# The tree that `pip install flee==3.1` resolved on this project's machines (Python 3.11),
# installed with --no-deps so that nothing else is resolved. mpi4py and muscle3 are only needed
# by pflee / coupling, which are not used here.
FLEE_PINS_FULL = [
    "flee==3.1",
    "beartype==0.23.1",
    "click==8.5.1",
    "contourpy==1.3.3",
    "cycler==0.12.1",
    "fonttools==4.68.0",
    "iniconfig==2.3.1",
    "kiwisolver==1.5.1",
    "matplotlib==3.11.2",
    "mpi4py==4.1.2",
    "msgpack==1.2.4",
    "muscle3==0.11.0",
    "networkx==3.6.1",
    "numpy==2.4.6",
    "packaging==26.3",
    "pandas==3.1.1",
    "parsimonious==0.11.0",
    "pillow==13.0.0",
    "pluggy==1.7.0",
    "psutil==7.2.2",
    "Pygments==2.21.0",
    "pyparsing==3.3.3",
    "pytest==9.2.0",
    "python-dateutil==4.0.0",
    "PyYAML==6.0.3",
    "regex==2026.11.15",
    "seaborn==0.13.2",
    "typing_extensions==4.16.0",
    "tzdata==2026.6",
    "yatiml==0.12.0",
    "ymmsl==0.18.0",
]
# What serial Flee 3.1 actually imports (fallback if the full tree cannot be installed).
FLEE_PINS_MIN = [
    "flee==3.1",
    "numpy==2.4.6",
    "pandas==3.1.1",
    "python-dateutil==4.0.0",
    "tzdata==2026.6",
    "PyYAML==6.0.3",
    "beartype==0.23.1",
]
FLEE_IMPORT_CHECK = (
    "import flee.flee, flee.InputGeography, flee.spawning, flee.SimulationSettings, "
    "flee.datamanager.handle_refugee_data; print(flee.__version__)"
)


class StepError(RuntimeError):
    """A subprocess or parsing step failed; the message says which and why."""


# --------------------------------------------------------------------------------------------
# Flee environment


def _flee_ok() -> str | None:
    if not FLEE_PY.exists():
        return None
    r = subprocess.run([str(FLEE_PY), "-c", FLEE_IMPORT_CHECK], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def ensure_flee_venv(python: str) -> dict:
    """Create bench/.venv-flee with pinned Flee 3.1 if it is missing; return its description."""
    version = _flee_ok()
    installed_now = False
    if version is None:
        print(f"[setup] creating {FLEE_VENV} with flee==3.1 ...", file=sys.stderr)
        if not FLEE_PY.exists():
            subprocess.run([python, "-m", "venv", str(FLEE_VENV)], check=True)
        pip = [str(FLEE_PY), "-m", "pip", "install", "--quiet", "--no-deps"]
        r = subprocess.run([*pip, *FLEE_PINS_FULL], capture_output=True, text=True)
        if r.returncode != 0:
            print(
                "[setup] full pinned tree failed (often mpi4py); installing the minimal pinned "
                f"set instead:\n{r.stderr[-2000:]}",
                file=sys.stderr,
            )
            r = subprocess.run([*pip, *FLEE_PINS_MIN], capture_output=True, text=True)
            if r.returncode != 0:
                raise StepError(f"pip install of Flee 3.1 failed:\n{r.stderr[-3000:]}")
        installed_now = True
        version = _flee_ok()
        if version is None:
            raise StepError(f"Flee 3.1 not importable in {FLEE_VENV} after install")
    freeze = subprocess.run(
        [str(FLEE_PY), "-m", "pip", "freeze"], capture_output=True, text=True
    ).stdout.split()
    pyver = subprocess.run(
        [str(FLEE_PY), "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "venv": str(FLEE_VENV.relative_to(REPO)),
        "flee_version": version,
        "python": pyver,
        "installed_now": installed_now,
        "packages": freeze,
    }


# --------------------------------------------------------------------------------------------
# Flee's validation metric, re-implemented from its definition


def read_out_csv(path: Path) -> tuple[list[str], list[dict[str, float]]]:
    """Camp names (in column order) and rows of a Flee-layout out.csv."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader)]
        rows = []
        for raw in reader:
            if not raw:
                continue
            rows.append({h: float(v) for h, v in zip(header, raw, strict=False) if h != "Date"})
    camps = [h[: -len(" sim")] for h in header if h.endswith(" sim")]
    return camps, rows


def _round4(x: float) -> float:
    """Round to 4 decimals the way NumPy's np.round does (scale, round half to even, unscale)."""
    return round(x * 10000.0) / 10000.0


def flee_error(path: Path) -> dict:
    """Flee's averaged relative difference of an out.csv, rescaled and normal.

    Per day t: E(t) = sum_c |sim_c * U / S - data_c| / max(U, 1), with U = refugees in camps
    (UNHCR), S = refugees in camps (simulation) and the rescaled term 0 when S = 0; each
    |difference| is rounded to 4 decimals before summing, as Flee's script does. The "normal"
    variant uses sim_c unscaled. Both are averaged over all days of the file.
    """
    camps, rows = read_out_csv(path)
    if not rows:
        raise StepError(f"{path} has no data rows")
    resc, norm = [], []
    for r in rows:
        u = r["refugees in camps (UNHCR)"]
        s = r["refugees in camps (simulation)"]
        denom = max(u, 1.0)
        er = en = 0.0
        for c in camps:
            sim, data = r[f"{c} sim"], r[f"{c} data"]
            scaled = sim * u / s if s > 0 else 0.0
            er += _round4(abs(scaled - data))
            en += _round4(abs(sim - data))
        resc.append(er / denom)
        norm.append(en / denom)
    return {
        "error_rescaled": statistics.fmean(resc),
        "error_normal": statistics.fmean(norm),
        "days": len(rows),
        "final_sim_total": rows[-1]["total refugees (simulation)"],
    }


# --------------------------------------------------------------------------------------------
# Runners


def _run(cmd: list[str], timeout: float | None, what: str) -> tuple[float, str]:
    t0 = time.perf_counter()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError as exc:
        raise StepError(f"{what}: cannot execute {cmd[0]} ({exc})") from exc
    except subprocess.TimeoutExpired as exc:
        raise StepError(f"{what}: timed out after {timeout} s") from exc
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        tail = (r.stderr or r.stdout or "")[-2500:]
        raise StepError(f"{what}: exit {r.returncode}: {' '.join(cmd)}\n{tail}")
    return wall, r.stdout


def run_flee(scen: Path, seed: int, days: int, out_dir: Path, timeout: float | None) -> dict:
    out_csv = out_dir / f"flee_seed{seed}_days{days or 'full'}.csv"
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [str(FLEE_PY), str(DRIVER), str(scen), "--seed", str(seed), "--out", str(out_csv)]
    if days > 0:
        cmd += ["--days", str(days)]
    wall, _ = _run(cmd, timeout, f"flee_driver {scen.name}")
    side = json.loads(Path(str(out_csv) + ".json").read_text())
    return {
        "seconds": wall,
        "driver_seconds": side["seconds"],
        "setup_seconds": side["setup_seconds"],
        "loop_seconds": side.get("loop_seconds"),
        "agents": side["agents"],
        "days": side["days"],
        "out_csv": out_csv,
        **{k: v for k, v in flee_error(out_csv).items() if k.startswith("error")},
    }


def corridor_available() -> str | None:
    """None if the corridor CLI can run, else a message saying why not."""
    if not CORRIDOR.exists():
        return f"corridor CLI not found at {CORRIDOR} (run `make venv`)"
    r = subprocess.run([str(CORRIDOR), "--help"], capture_output=True, text=True)
    if r.returncode != 0:
        tail = (r.stderr or r.stdout).strip().splitlines()[-1:] or ["?"]
        return f"corridor CLI not usable yet: {tail[0]}"
    return None


def prime_kernel_cache() -> float:
    """Compile both rulesets' kernels into Numba's on-disk cache, untimed, before any timed run.

    A timed run is meant to measure an installed tool, whose kernels were compiled once when it
    was first used. Without this step, the first timed scenario pays for compilation whenever the
    cache is missing or stale (a fresh clone, or an engine source changed since the last run), and
    its ratio measures the compiler instead. The seconds spent here are returned for the JSON.
    """
    code = "from corridor.api import warm_up; warm_up('flee'); warm_up('corridor')"
    wall, _ = _run([str(CORRIDOR.parent / "python"), "-c", code], None, "kernel cache priming")
    print(f"kernel cache primed in {wall:.1f} s (untimed)", flush=True)
    return round(wall, 3)


def _parse_json_stdout(text: str, what: str) -> dict:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        i, j = text.find("{"), text.rfind("}")
        if i >= 0 and j > i:
            try:
                return json.loads(text[i : j + 1])
            except json.JSONDecodeError:
                pass
    raise StepError(f"{what}: output is not JSON: {text[:500]!r}")


def run_corridor(
    scen: Path, seed: int, days: int, out_dir: Path, timeout: float | None, validate: bool
) -> dict:
    out_dir.mkdir(parents=True, exist_ok=True)
    run_dir = out_dir / f"corridor_seed{seed}_days{days or 'full'}"
    if run_dir.exists():
        shutil.rmtree(run_dir)
    cmd = [str(CORRIDOR), "run", str(scen), "--seed", str(seed), "--out", str(run_dir)]
    if days > 0:
        cmd += ["--days", str(days)]
    wall, _ = _run(cmd, timeout, f"corridor run {scen.name}")
    manifest_path = run_dir / "manifest.json"
    if not manifest_path.is_file():
        raise StepError(f"corridor run {scen.name}: no manifest.json in {run_dir}")
    manifest = json.loads(manifest_path.read_text())
    rec = {
        "seconds": wall,
        "run_seconds": manifest.get("wall_seconds"),
        "simulate_seconds": manifest.get("timings", {}).get("simulate_seconds"),
        "jit_seconds": manifest.get("timings", {}).get("jit_seconds"),
        "agents": manifest.get("agents"),
        "run_dir": run_dir,
    }
    out_csv = run_dir / "out.csv"
    if out_csv.is_file():
        own = flee_error(out_csv)
        rec["days"] = own["days"]
        rec["own_error_rescaled"] = own["error_rescaled"]
        rec["own_error_normal"] = own["error_normal"]
    if validate:
        _, stdout = _run(
            [str(CORRIDOR), "validate", str(run_dir), "--json"], timeout, "corridor validate"
        )
        v = _parse_json_stdout(stdout, f"corridor validate {scen.name}")
        rec["error_rescaled"] = v.get("error_rescaled")
        rec["error_normal"] = v.get("error_normal")
        rec["validate"] = v
    return rec


# --------------------------------------------------------------------------------------------
# One scenario


def _mean_sd(xs: list[float]) -> tuple[float | None, float | None]:
    xs = [x for x in xs if x is not None and not math.isnan(x)]
    if not xs:
        return None, None
    return statistics.fmean(xs), (statistics.stdev(xs) if len(xs) > 1 else 0.0)


def _period_length(scen: Path) -> int:
    with (scen / "input_csv" / "sim_period.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) > 1 and row[0].strip().lower() == "length":
                return int(row[1])
    raise StepError(f"{scen}: no Length in sim_period.csv")


def bench_scenario(name: str, args: argparse.Namespace, ref: dict, work: Path) -> dict:
    scen = args.scenarios_dir / name
    rec: dict = {"scenario": name, "seeds": args.seeds, "errors": {}}
    if not scen.is_dir():
        rec["errors"]["scenario"] = f"no scenario folder {scen}"
        return rec
    full_days = _period_length(scen)
    timed_days = args.flee_days if args.flee_days is not None else args.days
    timed_days = timed_days if timed_days > 0 else full_days
    rec["days_full"] = full_days
    rec["days_timed"] = timed_days
    ref_s = ref.get(name, {})
    rec["flee_agents_reference"] = ref_s.get("agents")
    rec["flee_seconds_reference"] = ref_s.get("seconds")
    rec["flee_error_full"] = ref_s.get("error")
    rec["flee_error_full_runs"] = ref_s.get("error_runs")
    seed0 = args.seeds[0]
    wdir = work / name

    # --- timing: Flee then corridor, same days, same seed, one after the other
    if not args.skip_flee:
        try:
            f = run_flee(scen, seed0, timed_days, wdir, args.timeout)
            rec["flee_seconds"] = f["seconds"]
            rec["flee_driver_seconds"] = f["driver_seconds"]
            rec["flee_setup_seconds"] = f["setup_seconds"]
            rec["flee_loop_seconds"] = f["loop_seconds"]
            rec["flee_agents_timed"] = f["agents"]
            rec["flee_error_timed"] = f["error_rescaled"]
            rec["flee_error_timed_normal"] = f["error_normal"]
            print(
                f"  flee   {timed_days} d: {f['seconds']:.2f} s, {f['agents']} agents", flush=True
            )
        except Exception as exc:
            rec["errors"]["flee_timed"] = f"{type(exc).__name__}: {exc}"
    why_not = None if args.skip_corridor else corridor_available()
    if why_not:
        rec["errors"]["corridor"] = why_not
    if not args.skip_corridor and not why_not:
        try:
            c = run_corridor(scen, seed0, timed_days, wdir, args.timeout, validate=False)
            rec["corridor_seconds"] = c["seconds"]
            rec["corridor_run_seconds"] = c["run_seconds"]
            rec["corridor_simulate_seconds"] = c["simulate_seconds"]
            rec["corridor_jit_seconds"] = c["jit_seconds"]
            rec["corridor_agents_timed"] = c["agents"]
            rec["corridor_error_timed"] = c.get("own_error_rescaled")
            rec["corridor_error_timed_normal"] = c.get("own_error_normal")
            print(f"  corridor {timed_days} d: {c['seconds']:.2f} s, {c['agents']} agents")
        except Exception as exc:
            rec["errors"]["corridor_timed"] = f"{type(exc).__name__}: {exc}"
    if rec.get("flee_seconds") and rec.get("corridor_seconds"):
        rec["ratio"] = rec["flee_seconds"] / rec["corridor_seconds"]
        if rec.get("corridor_run_seconds"):
            rec["ratio_run"] = rec["flee_seconds"] / rec["corridor_run_seconds"]
    if rec.get("flee_loop_seconds") and rec.get("corridor_simulate_seconds"):
        # the day loops alone: Flee's (spawning, evolve, its out.csv rows in memory) against
        # corridor's simulate phase (spawning and the day kernels; outputs written after)
        rec["ratio_loops"] = rec["flee_loop_seconds"] / rec["corridor_simulate_seconds"]
    if rec.get("flee_agents_timed") is not None and rec.get("corridor_agents_timed") is not None:
        rec["agents_match_timed"] = rec["flee_agents_timed"] == rec["corridor_agents_timed"]

    # --- full-length corridor error over the seeds
    if not args.skip_corridor and not why_not:
        errs, errs_n, own, secs, rsecs, agents = [], [], [], [], [], []
        for seed in args.seeds:
            try:
                c = run_corridor(scen, seed, 0, wdir, args.timeout, validate=True)
            except Exception as exc:
                rec["errors"][f"corridor_full_seed{seed}"] = f"{type(exc).__name__}: {exc}"
                continue
            errs.append(c.get("error_rescaled"))
            errs_n.append(c.get("error_normal"))
            own.append(c.get("own_error_rescaled"))
            secs.append(c["seconds"])
            rsecs.append(c["run_seconds"])
            agents.append(c["agents"])
            print(f"  corridor full seed {seed}: error {c.get('error_rescaled')}, {c['agents']} ag")
        if errs:
            rec["corridor_error_full_runs"] = errs
            rec["corridor_error_full_mean"], rec["corridor_error_full_sd"] = _mean_sd(errs)
            rec["corridor_error_full_normal_mean"], _ = _mean_sd(errs_n)
            rec["corridor_error_full_own_mean"], _ = _mean_sd(own)
            rec["corridor_full_seconds_mean"], _ = _mean_sd(secs)
            rec["corridor_full_run_seconds_mean"], _ = _mean_sd(rsecs)
            rec["corridor_agents_full"] = sorted(set(agents))
            rec["corridor_agents"] = agents[0]
            if rec["flee_agents_reference"] is not None:
                rec["agents_match_reference"] = all(
                    a == rec["flee_agents_reference"] for a in agents
                )
            if rec["flee_error_full"] and rec["corridor_error_full_mean"] is not None:
                rec["error_ratio"] = rec["corridor_error_full_mean"] / rec["flee_error_full"]
            if rec["flee_seconds_reference"] and rec["corridor_full_seconds_mean"]:
                rec["ratio_full_vs_reference"] = (
                    rec["flee_seconds_reference"] / rec["corridor_full_seconds_mean"]
                )

    # --- optional: Flee at full length over the seeds
    if args.flee_full and not args.skip_flee:
        ferrs, fsecs, fagents = [], [], []
        for seed in args.seeds:
            try:
                f = run_flee(scen, seed, 0, wdir, args.timeout)
            except Exception as exc:
                rec["errors"][f"flee_full_seed{seed}"] = f"{type(exc).__name__}: {exc}"
                continue
            ferrs.append(f["error_rescaled"])
            fsecs.append(f["seconds"])
            fagents.append(f["agents"])
            print(f"  flee full seed {seed}: error {f['error_rescaled']:.4f}, {f['seconds']:.0f} s")
        if ferrs:
            rec["flee_error_full_measured_runs"] = ferrs
            m, sd = _mean_sd(ferrs)
            rec["flee_error_full_measured_mean"] = m
            rec["flee_error_full_measured_sd"] = sd
            rec["flee_full_seconds_mean"], _ = _mean_sd(fsecs)
            rec["flee_agents_full_measured"] = sorted(set(fagents))
    if not rec["errors"]:
        del rec["errors"]
    return rec


# --------------------------------------------------------------------------------------------
# Report


def _f(x: float | None, fmt: str) -> str:
    return "–" if x is None else format(x, fmt)


def markdown(records: list[dict]) -> str:
    lines = [
        "| scenario | agents corridor / Flee | days timed | Flee s | corridor s (run) | ratio "
        "| ratio full (Flee ref s / corridor s) | Flee error (ref) | corridor error (mean ± sd) "
        "| error ratio | timed error Flee / corr |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in records:
        agents = f"{_f(r.get('corridor_agents'), ',')} / {_f(r.get('flee_agents_reference'), ',')}"
        mean, sd = r.get("corridor_error_full_mean"), r.get("corridor_error_full_sd")
        err = "–" if mean is None else f"{mean:.4f} ± {sd:.4f}"
        timed_err = (
            f"{_f(r.get('flee_error_timed'), '.4f')} / {_f(r.get('corridor_error_timed'), '.4f')}"
        )
        lines.append(
            f"| {r['scenario']} | {agents} | {r.get('days_timed', '–')} "
            f"| {_f(r.get('flee_seconds'), '.2f')} "
            f"| {_f(r.get('corridor_seconds'), '.2f')} ({_f(r.get('corridor_run_seconds'), '.2f')})"
            f" | {_f(r.get('ratio'), '.1f')} | {_f(r.get('ratio_full_vs_reference'), '.1f')}"
            f" | {_f(r.get('flee_error_full'), '.4f')} | {err} "
            f"| {_f(r.get('error_ratio'), '.3f')} | {timed_err} |"
        )
    notes = [
        f"- {r['scenario']}: {k}: {v.splitlines()[0][:300]}"
        for r in records
        for k, v in r.get("errors", {}).items()
    ]
    if notes:
        lines += ["", "Failures:", *notes]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated names")
    p.add_argument(
        "--days", type=int, default=30, help="days of the timed runs (0 = full length; default 30)"
    )
    p.add_argument(
        "--flee-days", type=int, default=None, help="days of the timed runs (default: --days)"
    )
    p.add_argument("--seeds", default="0,1,2,3,4", help="seeds of the full-length corridor runs")
    p.add_argument("--skip-flee", action="store_true", help="do not run Flee")
    p.add_argument("--skip-corridor", action="store_true", help="do not run corridor")
    p.add_argument("--flee-full", action="store_true", help="also run Flee full length per seed")
    p.add_argument("--shared", type=Path, default=Path(os.environ.get("CORRIDOR_SHARED", "")))
    p.add_argument("--out", type=Path, default=BENCH / "results" / "flee_side_by_side.json")
    p.add_argument("--timeout", type=float, default=None, help="per subprocess, seconds")
    p.add_argument("--python", default="python3", help="interpreter to create the Flee venv")
    a = p.parse_args(argv)
    if not str(a.shared) or str(a.shared) == ".":
        a.shared = (REPO / ".." / "shared").resolve()
    a.shared = a.shared.resolve()
    a.scenarios_dir = a.shared / "peer" / "flee-scenarios"
    a.scenario_list = [s.strip() for s in a.scenarios.split(",") if s.strip()]
    a.seeds = [int(s) for s in a.seeds.split(",") if s.strip()]
    if not a.seeds:
        p.error("--seeds is empty")
    return a


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ref_path = args.scenarios_dir / "flee31-reference.json"
    ref = json.loads(ref_path.read_text()) if ref_path.is_file() else {}
    if not ref:
        print(f"warning: no Flee reference at {ref_path}", file=sys.stderr)
    flee_env = None
    if not args.skip_flee:
        try:
            flee_env = ensure_flee_venv(args.python)
        except Exception as exc:
            print(f"error: Flee environment: {exc}; continuing without Flee", file=sys.stderr)
            flee_env = {"error": str(exc)}
            args.skip_flee = True
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")  # noqa: UP017
    work = WORK / stamp
    priming = None if args.skip_corridor else prime_kernel_cache()
    records = []
    for name in args.scenario_list:
        print(f"[{name}]", flush=True)
        try:
            records.append(bench_scenario(name, args, ref, work))
        except Exception as exc:  # keep going with the other scenarios
            records.append(
                {"scenario": name, "errors": {"scenario": f"{type(exc).__name__}: {exc}"}}
            )
    result = {
        "created": stamp,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "flee_env": flee_env,
        "kernel_cache_priming_seconds": priming,
        "reference": str(ref_path),
        "days_timed_arg": args.flee_days if args.flee_days is not None else args.days,
        "seeds": args.seeds,
        "work_dir": str(work),
        "notes": (
            "flee_seconds and corridor_seconds are subprocess wall times (start-up, set-up and "
            "JIT included), measured one after the other on the same machine, same days and seed;"
            " ratio = flee_seconds / corridor_seconds. corridor_run_seconds is manifest "
            "wall_seconds. ratio_loops = flee_loop_seconds (Flee's day loop) / "
            "corridor_simulate_seconds (corridor's day loop). flee_error_full is Flee 3.1's "
            "full-length rescaled error from flee31-reference.json; *_error_timed are Flee's "
            "metric on the timed runs."
        ),
        "scenarios": records,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, default=str) + "\n")
    table = markdown(records)
    args.out.with_suffix(".md").write_text(table + "\n")
    print(table)
    print(f"\nwritten: {args.out}", file=sys.stderr)
    return 0 if all("errors" not in r for r in records) else 1


if __name__ == "__main__":
    sys.exit(main())
