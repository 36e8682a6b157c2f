"""``corridor report``: one self-contained HTML page for a run or an ensemble folder."""

from __future__ import annotations

import html
import json
from pathlib import Path

import polars as pl

from corridor._version import __version__
from corridor.errors import CorridorError, RunError
from corridor.output.runfolder import read_manifest, read_table, run_period
from corridor.report import figures

BAND_COLUMNS = ("series", "period", "p5", "p25", "p50", "p75", "p95")
PLACE_COLUMNS = ("name", "kind", "lat", "lon", "capacity")
SERIES_COLUMNS = ("series", "period", "value")


def build_report(folder: Path, out: Path | None = None) -> Path:
    """Write ``report.html`` for a run folder (or an ensemble folder with ``bands.parquet``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorridorError(f"{folder}: no such run or ensemble folder")
    ensemble = (folder / "bands.parquet").exists()
    run = _representative_run(folder) if ensemble else folder
    if run is None or not (run / "manifest.json").exists():
        raise CorridorError(f"{folder}: not a run folder (no manifest.json) nor an ensemble folder")
    manifest = read_manifest(run)
    bands = (
        read_table(folder / "bands.parquet", BAND_COLUMNS, BAND_COLUMNS[2:]) if ensemble else None
    )
    sections: list[str] = []
    if manifest.get("ruleset") == "corridor":
        sections += _corridor_sections(run, manifest, bands)
    else:
        sections += _flee_sections(run, manifest)
    target = out or folder / "report.html"
    target.write_text(_page(manifest, sections, ensemble, folder), encoding="utf-8")
    return target


def _representative_run(folder: Path) -> Path | None:
    """The run drawn beside an ensemble's bands: ``FOLDER/run``, made on first use from the
    ensemble's spec (its scenario, overrides, days and replica 0's seed)."""
    run = folder / "run"
    if (run / "manifest.json").exists():
        return run
    spec_path = folder / "ensemble.json"
    if not spec_path.exists():
        return None
    import corridor
    from corridor.api import apply_overrides
    from corridor.ensemble.sampling import replica_seed

    try:
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        path = Path(spec["scenario"]["path"])
        seed = int(spec["seed"])
        days = spec.get("days")
        overrides = spec.get("overrides") or {}
        if (days is not None and not isinstance(days, int)) or not isinstance(overrides, dict):
            raise TypeError("days or overrides")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RunError(f"{spec_path}: cannot read the ensemble's spec ({exc})") from None
    except (KeyError, TypeError, ValueError, AttributeError):
        raise RunError(
            f"{spec_path}: not an ensemble spec; expected a JSON object with scenario.path, "
            "seed, days and overrides (as `corridor ensemble` writes it)"
        ) from None
    if not path.exists():
        raise CorridorError(
            f"{folder}: the ensemble's scenario {path} is not here; run from its folder"
        )
    scenario = corridor.load(path)
    if overrides:
        scenario = apply_overrides(scenario, overrides)
    corridor.run(scenario, seed=replica_seed(seed, 0), days=days, out=run)
    return run


def _img(uri: str | None, alt: str) -> str:
    if uri is None:
        return ""
    alt = html.escape(alt)
    return f'<figure><img src="{uri}" alt="{alt}"><figcaption>{alt}</figcaption></figure>'


def _corridor_sections(run: Path, manifest: dict, bands: pl.DataFrame | None) -> list[str]:  # type: ignore[type-arg]
    """The sections of a corridor-ruleset report, in page order.

    Each table is read just before the first section that needs it, so that a run folder with a
    missing or broken table fails at the same point, with the same message, as it always has."""
    series = read_table(run / "series.parquet", SERIES_COLUMNS, ["value"])
    out = _validation_section(run, manifest, series, bands)
    daily = read_table(run / "daily.parquet", ("day", "status", "nationality", "people"))
    out += [_status_section(daily), _nationality_figure(daily)]
    places = read_table(run / "places.parquet", PLACE_COLUMNS)
    out += _detention_section(places, series)
    out += _attempts_section(run)
    out += _ports_section(series)
    routes = _monthly_routes(run)
    out += [_deaths_section(routes), _mode_share_section(series), _map_section(places, routes)]
    return out


def _validation_section(
    run: Path,
    manifest: dict,  # type: ignore[type-arg]
    series: pl.DataFrame,
    bands: pl.DataFrame | None,
) -> list[str]:
    """Observed against simulated series: the MAPE table and the panels, first on the page
    because it is what a reader checks before trusting the rest. Nothing when the run has no
    observed data."""
    observed = read_table(run / "observed.parquet", SERIES_COLUMNS, ["value"])
    if observed.is_empty():
        return []
    from corridor.validate.corridor_series import excluded_note, observed_points, validate_series

    train = manifest.get("train_until")
    rows = observed_points(observed)
    first, last, train_date = run_period(manifest)
    val = validate_series(series, rows, train_date, first, last)
    note = excluded_note(val)
    return [
        "<h2>Validation: observed vs simulated</h2>"
        f"<p>Months up to {html.escape(str(train))} were used for fitting; later months are a "
        "test "
        "(dashed line). MAPE in per cent.</p>"
        "<table><tr><th>series</th><th>periods</th><th>observed</th><th>simulated</th>"
        f"<th>MAPE train</th><th>MAPE test</th></tr>{_validation_rows(val)}</table>"
        + (f"<p>Note: {html.escape(note)}.</p>" if note else "")
        + _img(
            figures.validation_panels(series, observed, train, bands, (first, last)),
            "Observed (black) and simulated series",
        )
    ]


def _validation_rows(val: dict) -> str:  # type: ignore[type-arg]
    """One table row per validated series: its size, totals and train/test MAPE, so a series
    that fits only because it is short or small shows as such."""
    rows = []
    for k, v in val.items():
        rows.append(
            f"<tr><td>{html.escape(k)}</td><td>{len(v.periods)}</td><td>{sum(v.observed):,.0f}</td>"
            f"<td>{sum(v.simulated):,.0f}</td><td>{_fmt(v.mape_train)}</td>"
            f"<td>{_fmt(v.mape_test)}</td></tr>"
        )
        if v.years is not None:  # yearly totals beside the months: shown, not in the MAPE
            for year, o, s in v.years.rows():
                rows.append(
                    f"<tr><td>{html.escape(k)} ({year} total)</td><td>1</td><td>{o:,.0f}</td>"
                    f"<td>{s:,.0f}</td><td>-</td><td>-</td></tr>"
                )
    return "".join(rows)


def _status_section(daily: pl.DataFrame) -> str:
    """Everyone's status day by day: the run's overall shape (who is on the way, held, arrived
    or dead) before the per-mechanism sections break it down."""
    by_status = (
        daily.group_by("day", "status")
        .agg(pl.col("people").sum())
        .with_columns(pl.col("status").cast(pl.String))
    )
    return "<h2>People by status</h2>" + _img(
        figures.lines(
            by_status,
            "day",
            "people",
            "status",
            "People by status at the end of each day",
            "agents",
        ),
        "People by status over time",
    )


def _nationality_figure(daily: pl.DataFrame) -> str:
    """People still in the corridor (travelling, en route, waiting or detained) by nationality,
    leaving out those who arrived, returned or died, so each group's presence on the way shows."""
    moving = daily.filter(
        pl.col("status").cast(pl.String).is_in(["travelling", "en_route", "waiting", "detained"])
    )
    by_nat = (
        moving.group_by("day", "nationality")
        .agg(pl.col("people").sum())
        .with_columns(pl.col("nationality").cast(pl.String))
    )
    return _img(
        figures.lines(
            by_nat,
            "day",
            "people",
            "nationality",
            "People on the way (travelling, waiting or detained) by nationality",
            "agents",
        ),
        "People on the way by nationality",
    )


def _detention_section(places: pl.DataFrame, series: pl.DataFrame) -> list[str]:
    """Occupancy against official capacity, then overcrowding where the run reports it, so a
    reader sees whether detention was a bottleneck. Nothing when the network has no detention
    facility."""
    facilities = places.filter(pl.col("kind") == "facility")
    if facilities.is_empty():
        return []
    out = [
        "<h2>Detention: occupancy vs capacity</h2>"
        + _img(
            figures.occupancy(_monthly_held(series, facilities).drop_nulls("capacity")),
            "Peak monthly occupancy against official capacity",
        )
    ]
    crowd = _monthly_by_name(series, "overcrowding:")
    if not crowd.is_empty():
        out.append(_overcrowding_figure(crowd))
    admitted = _monthly_by_name(series, "admissions:")
    if not admitted.is_empty():
        out.append(_admissions_figure(admitted))
    stays = _monthly_by_name(series, "days_held:")
    if not stays.is_empty():
        out.append(_days_held_figure(stays))
    return out


def _days_held_figure(stays: pl.DataFrame) -> str:
    """Mean days held of the people taken in each month, per facility: with admissions, what
    makes the occupancy; a month without admissions has no mean and leaves a gap."""
    return _img(
        figures.lines(
            stays,
            "period",
            "value",
            "series",
            "Mean days held of the people taken in each month, by facility",
            "days",
            missing=float("nan"),
        ),
        "Days held per facility",
    )


# Final states grouped for the attempts figure: what became of the people who tried again.
_STATE_GROUPS = {
    "arrived": "arrived",
    "returned": "returned to their country",
    "dead": "dead or missing",
    "missing": "dead or missing",
    "stopped": "stopped (gave up waiting)",
}


def _attempts_section(run: Path) -> list[str]:
    """How many set off more than once after a deportation or removal, and where people ended
    by number of attempts. Run folders written before the attempts table existed have none."""
    path = run / "attempts.parquet"
    if not path.exists():
        return []
    table = read_table(path, ("status", "attempts", "people"))
    if table.is_empty():
        return []
    grouped = (
        table.with_columns(
            pl.col("status")
            .cast(pl.String)
            .replace_strict(_STATE_GROUPS, default="still on the way, waiting or held")
            .alias("state")
        )
        .group_by("state", "attempts")
        .agg(pl.col("people").sum())
    )
    total = int(table["people"].sum())
    again = int(table.filter(pl.col("attempts") > 1)["people"].sum())
    share = 100.0 * again / total if total else 0.0
    text = (
        f"<p>{again:,} of {total:,} agents ({share:.1f} %) set off more than once, after being "
        "deported or removed; the figure shows where each group was at the end of the run.</p>"
    )
    return [
        "<h2>Attempts</h2>"
        + text
        + _img(figures.attempts(grouped), "People by number of attempts and final state")
    ]


def _ports_section(series: pl.DataFrame) -> list[str]:
    """People waiting on the ports' lists in each border city, and how long those taken in had
    waited: what metering does to people at the border. Nothing without ports (ports.csv)."""
    listed = _monthly_by_name(series, "port_list:")
    if listed.is_empty():
        return []
    waits = _monthly_by_name(series, "port_wait_days:")
    return [
        "<h2>Ports of entry: lists and waits</h2>"
        + _img(
            figures.lines(
                listed,
                "period",
                "value",
                "series",
                "People on the ports' lists, monthly mean, by border city",
                "people",
            ),
            "People waiting on port lists",
        )
        + _img(
            figures.lines(
                waits,
                "period",
                "value",
                "series",
                "Mean days on the list of the people taken in each month",
                "days",
                missing=float("nan"),
            ),
            "Days waited on port lists",
        )
    ]


def _monthly_by_name(series: pl.DataFrame, prefix: str) -> pl.DataFrame:
    """The monthly rows of the series named ``prefix<name>``, named ``<name>`` (the facility or
    mode), as the figures draw them one line each; yearly totals are left out."""
    return series.filter(
        pl.col("series").str.starts_with(prefix) & (pl.col("period").str.len_chars() == 7)
    ).with_columns(pl.col("series").str.replace(prefix, "", literal=True))


def _admissions_figure(admitted: pl.DataFrame) -> str:
    """People taken into each facility per month: the flow that fills it, which the occupancy
    (a stock) shows only through the length of stays."""
    return _img(
        figures.lines(
            admitted,
            "period",
            "value",
            "series",
            "People taken into detention per month, by facility",
            "people",
        ),
        "Admissions per facility",
    )


def _monthly_held(series: pl.DataFrame, facilities: pl.DataFrame) -> pl.DataFrame:
    """Each facility's monthly mean of people held (the ``occupancy:`` series, scaled to people,
    empty days counted as 0) beside its capacity; capacity is null for a facility the places
    table does not list."""
    return (
        series.filter(
            pl.col("series").str.starts_with("occupancy:") & (pl.col("period").str.len_chars() == 7)
        )
        .select(
            pl.col("series").str.replace("occupancy:", "").alias("facility"),
            pl.col("period").alias("month"),
            pl.col("value").alias("held"),
        )
        .join(
            facilities.select(pl.col("name").alias("facility"), "capacity"),
            on="facility",
            how="left",
        )
    )


def _overcrowding_figure(crowd: pl.DataFrame) -> str:
    """Held over capacity per facility: the ratio makes facilities of different sizes
    comparable, which the occupancy figure's absolute numbers do not."""
    return _img(
        figures.lines(
            crowd,
            "period",
            "value",
            "series",
            "Overcrowding (held / capacity), monthly mean",
            "ratio",
        ),
        "Overcrowding ratio per facility",
    )


def _monthly_routes(run: Path) -> pl.DataFrame:
    """The run's route table with each passage's month, read once for both the deaths figure
    and the map."""
    return read_table(
        run / "routes.parquet", ("from", "to", "mode", "date", "passages", "deaths_missing")
    ).with_columns(
        pl.col("mode").cast(pl.String), pl.col("date").dt.strftime("%Y-%m").alias("month")
    )


def _deaths_section(routes: pl.DataFrame) -> str:
    """Dead and missing per month, stacked by the mode of the route they were on, to show which
    kind of crossing the deaths come from."""
    deaths = routes.group_by("month", "mode").agg(pl.col("deaths_missing").sum())
    return "<h2>Deaths and missing by route mode</h2>" + _img(
        figures.lines(
            deaths,
            "month",
            "deaths_missing",
            "mode",
            "Dead and missing per month, by mode of the route",
            "agents",
            stacked=True,
        ),
        "Deaths and missing by mode",
    )


def _mode_share_section(series: pl.DataFrame) -> str:
    """Shares of route passages by mode over time, stacked: a policy that closes one way shows
    as people moving to another, which totals alone would hide."""
    shares = _monthly_by_name(series, "mode_share:")
    return "<h2>Route-mode shares over time</h2>" + _img(
        figures.lines(
            shares,
            "period",
            "value",
            "series",
            "Share of each month's route passages by mode",
            "share",
            stacked=True,
        ),
        "Route-mode shares",
    )


def _map_section(places: pl.DataFrame, routes: pl.DataFrame) -> str:
    """The network on a map with each route's passages over the whole run as line width, last
    because it places the figures above geographically."""
    flows = (
        routes.group_by("from", "to", "mode")
        .agg(pl.col("passages").sum().alias("flow"))
        .with_columns(pl.col("from").cast(pl.String), pl.col("to").cast(pl.String))
    )
    return "<h2>Map of the network and its flows</h2>" + _img(
        figures.network_map(
            places, flows, "Places and route flows over the run (line width ~ passages)"
        ),
        "Map of places and flows",
    )


def _flee_sections(run: Path, manifest: dict) -> list[str]:  # type: ignore[type-arg]
    from corridor.validate.flee_metric import flee_validation

    out: list[str] = []
    v = flee_validation(run / "out.csv")
    rows = "".join(
        f"<tr><td>{html.escape(c)}</td><td>{v.per_camp_rescaled[c]:.4f}</td><td>{v.per_camp_normal[c]:.4f}</td></tr>"
        for c in v.camps
    )
    out.append(
        f"<h2>Validation: Flee's error</h2><p>Rescaled {v.error_rescaled:.4f}, normal "
        f"{v.error_normal:.4f} (mean over {v.days} days).</p><table><tr><th>camp</th>"
        f"<th>rescaled</th><th>normal</th></tr>{rows}</table>"
    )
    csv = pl.read_csv(run / "out.csv")
    sim = _monthly_camps(csv, v.camps, "sim")
    obs = _monthly_camps(csv, v.camps, "data")
    out.append(
        _img(
            figures.validation_panels(sim, obs, None, None),
            "Camp populations: data (black) and simulation, monthly means",
        )
    )
    if (run / "places.parquet").exists():
        places = read_table(run / "places.parquet", PLACE_COLUMNS)
        routes = read_table(run / "routes.parquet", ("from", "to", "agents"))
        flows = (
            routes.group_by("from", "to")
            .agg(pl.col("agents").sum().alias("flow"))
            .with_columns(
                pl.col("from").cast(pl.String),
                pl.col("to").cast(pl.String),
                pl.lit(None, pl.String).alias("mode"),
            )
        )
        out.append(
            "<h2>Map</h2>"
            + _img(figures.network_map(places, flows, "Locations and agent-days on links"), "Map")
        )
    return out


def _monthly_camps(csv: pl.DataFrame, camps: list[str], which: str) -> pl.DataFrame:
    """Monthly means of the out.csv columns ``<camp> sim`` or ``<camp> data``, long format."""
    frames = [
        csv.select(
            pl.col("Date").str.slice(0, 7).alias("period"),
            pl.col(f"{c} {which}").cast(pl.Float64).alias("value"),
        )
        .group_by("period", maintain_order=True)
        .agg(pl.col("value").mean())
        .with_columns(pl.lit(c).alias("series"))
        for c in camps
    ]
    return pl.concat(frames).select("series", "period", "value")


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.1f}"


def _page(manifest: dict, sections: list[str], ensemble: bool, folder: Path) -> str:  # type: ignore[type-arg]
    title = f"corridor report: {manifest.get('scenario', folder.name)}"
    meta = (
        f"ruleset {manifest.get('ruleset')}, {manifest.get('days')} days from "
        f"{manifest.get('start_date')}, seed {manifest.get('seed')}, "
        f"{manifest.get('agents', 0):,} agents, scale {manifest.get('scale', 1)}; "
        f"corridor {manifest.get('corridor_version')}"
        + (f"; ensemble bands from {html.escape(str(folder))}" if ensemble else "")
    )
    style = (
        "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;font-size:0.85em}"
        "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
        "td:first-child,th:first-child{text-align:left}figure{margin:1em 0}img{max-width:100%}"
        "figcaption{font-size:0.8em;color:#666}"
    )
    # A self-check a headless browser can read back from the DOM (tests/test_report_browser.py):
    # every figure decoded, and no script error.
    check = (
        "<script>window.addEventListener('error',function(e){document.body.dataset.errors="
        "(document.body.dataset.errors||'')+e.message+';'});window.addEventListener('load',"
        "function(){var bad=[];document.querySelectorAll('img').forEach(function(i){if(!i.complete"
        "||i.naturalWidth===0){bad.push(i.alt)}});document.body.dataset.images="
        "document.images.length;document.body.dataset.broken=bad.join('|');"
        "document.body.dataset.rendered=bad.length?'no':'ok'});</script>"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title>"
        f"<style>{style}</style>{check}</head><body><h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(meta)}</p>"
        + "".join(sections)
        + "<hr><p style='font-size:0.8em;color:#777'>"
        + f"Written by corridor {__version__}. Country outlines: "
        "Natural Earth (public domain).</p></body></html>\n"
    )
