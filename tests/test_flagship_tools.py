"""The flagship's fit tools read what they should: an ensemble whose replicas equal the observed
series validates with no error, and the sensitivity table quotes the sweep files it finds."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import numpy as np
import polars as pl
import pytest

import corridor
from corridor.ensemble.spec import EnsembleSpec
from tests.conftest import needs_shared

REPO = Path(__file__).resolve().parents[1]
FIT = REPO / "scenarios" / "mexico-2019" / "fit"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, FIT / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _observed_as_replica() -> tuple[dict[tuple[str, str], float], pl.DataFrame]:
    """The flagship's observed series as one replica's series (months the transcribed detentions
    lack get a known value)."""
    observed = corridor.load(REPO / "scenarios" / "mexico-2019").observed
    rows = {(o.series, o.period): o.value for o in observed}
    for month in range(1, 9):
        rows.setdefault(("mx_detentions", f"2019-{month:02d}"), 1000.0)
    frame = pl.DataFrame(
        {
            "series": [k[0] for k in rows],
            "period": [k[1] for k in rows],
            "value": list(rows.values()),
        }
    )
    return rows, frame


def test_an_ensemble_equal_to_the_observed_data_validates_exactly(tmp_path: Path) -> None:
    tool = _module("ensemble_validation")
    rows, frame = _observed_as_replica()
    (tmp_path / "replicas").mkdir()
    for replica in range(2):
        frame.write_parquet(tmp_path / "replicas" / f"replica-{replica:05d}.parquet")
    # a third replica file left by a larger ensemble that --resume cut to two: not read
    frame.with_columns(pl.col("value") * 2).write_parquet(
        tmp_path / "replicas" / "replica-00002.parquet"
    )
    _write_spec(tmp_path, replicas=2)
    result = tool.validate_replicas(tmp_path)
    assert result["replicas"] == 2
    # the observed falls, May to August 2019 (CBP encounters by citizenship)
    assert result["change_pct"]["GT May->08"]["observed"] == -80.7
    assert result["change_pct"]["HN May->08"]["observed"] == -63.5
    assert result["change_pct"]["SV May->08"]["observed"] == -62.3
    for change in result["change_pct"].values():
        assert change["median"] == pytest.approx(change["observed"], abs=0.05)
    for windows in result["mape_pct"].values():
        for summary in windows.values():
            assert summary["max"] == 0.0
    jan_aug = sum(rows[("mx_detentions", f"2019-{m:02d}")] for m in range(1, 9))
    assert result["mx_detentions_jan_aug_2019"]["median"] == pytest.approx(jan_aug)
    for deaths in result["dead_and_missing_2019"].values():
        assert deaths["ratio_of_median"] in (1.0, None)
    for per in result["test_windows"].values():
        for got in per.values():
            assert got["mape"]["max"] == 0.0 and got["ratio"]["min"] == got["ratio"]["max"] == 1.0
    assert set(result["test_windows"]["encounters_GT"]) == {"jun_aug", "sep_dec"}
    # the docs' table: one row per fall, MAPE, detentions and zone, both results side by side
    table = tool.side_by_side(result, result).splitlines()
    gt = next(line for line in table if line.startswith("| encounters GT, May → August"))
    assert gt.count("−80.7") == 7  # median, min and max of each result, and the observed
    zones = [line for line in table if line.startswith("| dead and missing 2019")]
    assert len(zones) == len(result["dead_and_missing_2019"])


def test_the_test_windows_say_when_and_which_way_the_model_missed() -> None:
    """June - August and September - December apart: a series right over the first and twice
    the observed over the second has MAPE 0 and ratio 1, then MAPE 100 and ratio 2; training
    months and yearly totals are in neither window, and an observed 0 is left out of the MAPE
    as `corridor validate` leaves it out."""
    tool = _module("ensemble_validation")
    periods = ["2019-05", "2019-06", "2019-07", "2019-08", "2019-09", "2019-10", "2019", "2019-12"]
    observed = [9.0, 10.0, 20.0, 30.0, 40.0, 0.0, 500.0, 60.0]
    simulated = [1.0, 10.0, 20.0, 30.0, 80.0, 7.0, 1.0, 120.0]
    got = tool._windows(periods, observed, simulated)
    assert got["jun_aug"] == {"mape": 0.0, "ratio": 1.0}
    assert got["sep_dec"]["mape"] == pytest.approx(100.0)
    assert got["sep_dec"]["ratio"] == pytest.approx(207.0 / 100.0)
    assert tool._windows(["2019-03"], [5.0], [6.0]) == {}


def _write_spec(folder: Path, replicas: int, days: int | None = None) -> None:
    spec = EnsembleSpec(
        scenario_name="mexico-2019", scenario_hash="", settings_hash="", seed=0,
        replicas=replicas, days=days,
    )  # fmt: skip
    (folder / "ensemble.json").write_text(json.dumps(spec.as_json()))


def test_an_ensemble_cut_short_by_days_is_validated_over_the_months_it_covers(
    tmp_path: Path,
) -> None:
    """An ensemble run with --days 500 ends on 13 December 2019: December and the 2019 totals
    are left out, as `corridor validate` leaves them out of a run that short."""
    tool = _module("ensemble_validation")
    _, frame = _observed_as_replica()
    (tmp_path / "replicas").mkdir()
    frame.write_parquet(tmp_path / "replicas" / "replica-00000.parquet")
    _write_spec(tmp_path, replicas=1, days=500)
    paths, last_day = tool._replicas_and_last_day(
        tmp_path, dt.date(2018, 8, 1), dt.date(2019, 12, 31)
    )
    assert len(paths) == 1 and last_day == dt.date(2019, 12, 13)
    result = tool.validate_replicas(tmp_path)
    assert result["dead_and_missing_2019"] == {}
    _write_spec(tmp_path, replicas=2)  # a replica missing: an error, not a smaller ensemble
    with pytest.raises(SystemExit, match="1 of 2 replica files missing"):
        tool.validate_replicas(tmp_path)


def test_the_sensitivity_table_has_a_row_per_setting_of_the_sweeps() -> None:
    tool = _module("sensitivity")
    settings = set()
    for path in FIT.glob("sensitivity_*.json"):
        for row in json.loads(path.read_text()):
            fixed = {**row.get("fixed", {}), row["parameter"]: row["value"]}
            settings.add(tuple(sorted(fixed.items())))
    table = tool.markdown_table().splitlines()
    assert len(table) == 2 + len(settings) + 1  # header, rule, settings, observed
    assert table[-1].startswith("| observed |")


@needs_shared
def test_the_extrapolation_rule_is_the_backtest_winner() -> None:
    """fit_departures.py continues departures with the rule trend_backtest.py chose on 2001-2018,
    and trend_backtest.json is that script's output."""
    backtest = _module("trend_backtest")
    result = backtest.backtest(backtest.usbp_monthly())
    assert result["chosen"] == _module("fit_departures").EXTRAPOLATION
    stored = json.loads((FIT / "trend_backtest.json").read_text())
    assert stored["chosen"] == result["chosen"]
    assert stored["mape_pct_mean"] == result["mape_pct_mean"]


def test_departures_after_may_2019_follow_the_rule_from_the_fitted_months() -> None:
    """departures.csv's test months are the extrapolation of fit_result.json's fitted months, so
    nothing after May 2019 was set by hand."""
    fit = _module("fit_departures")
    summary = json.loads((FIT / "fit_result.json").read_text())
    _, _, season, _ = fit.load_inputs()
    fitted = [[summary["fitted_departures"][n][m] for m in fit.FIT_MONTHS] for n in fit.NATS]
    lags = summary["journey_lag_shares"]
    for n, shares in lags.items():  # shares of the same month, the next and the one after
        assert sum(shares) == pytest.approx(1.0) and min(shares) >= 0.0
        if n != "MX":  # from Central America, most reach the border the month after setting off
            assert shares[1] == max(shares), n
    people, _ = fit.extrapolate(np.array(fitted), fit.departure_season(season, lags))
    rows = corridor.load(REPO / "scenarios" / "mexico-2019").departures
    for n in fit.NATS:
        for m in fit.FUTURE:
            total = sum(r.people for r in rows if r.nationality == n and r.month == m)
            # rows are written to 3 decimals: at most 0.0005 per row, a few dozen rows
            assert total == pytest.approx(people[(n, m)], abs=0.05), (n, m)


def test_every_flagship_facility_releases_into_a_mexican_city_on_the_way() -> None:
    """No route leaves the flagship's facilities, so the released set off from each one's city:
    a Mexican place other than the facility that a route leaves, and the
    scenario loads without warnings (none about a facility whose released could go nowhere)."""
    from corridor.compile.corridor import compile_corridor

    sc = corridor.load(REPO / "scenarios" / "mexico-2019")
    assert [str(w) for w in sc.warnings] == []
    m = compile_corridor(sc, days=1)
    facilities = np.flatnonzero(m.release_place >= 0)
    assert len(facilities) == 12
    for f in facilities:
        city = int(m.release_place[f])
        assert city != f and m.place_country[city] == "MX"
        assert m.out_start[city + 1] > m.out_start[city]


@needs_shared
def test_a_run_with_usbp_counts_by_sector_gets_usbp_shares(tmp_path: Path) -> None:
    """fit/sector_shares.py: a run whose apprehensions at each sector's first border city equal
    USBP's count for that sector and month gives the observed shares in both windows and the
    observed changes over the test months; the observed training-month counts are those
    fit/fit_destinations.py fits."""
    tool = _module("sector_shares")
    city_of = {}
    for city, goal in tool.sector_of_city().items():
        city_of.setdefault(goal, city)
    rows = []
    for month in [f"2018-{m}" for m in (10, 11, 12)] + [f"2019-{m:02d}" for m in range(1, 10)]:
        for goal, n in tool.observed(month, month).items():
            date = dt.date(int(month[:4]), int(month[5:]), 1)
            rows.append((date, city_of[goal], int(n)))
    pl.DataFrame(
        {
            "date": [r[0] for r in rows],
            "place": pl.Series([r[1] for r in rows], dtype=pl.Categorical),
            "kind": pl.Series(["apprehensions"] * len(rows), dtype=pl.Categorical),
            "count": [r[2] for r in rows],
        }
    ).write_parquet(tmp_path / "events.parquet")
    result = tool.table(tmp_path)
    for window in result.values():
        assert window["simulated_pct"] == window["observed_pct"]
    changes = tool.changes(tmp_path)
    for change in changes.values():
        assert change["simulated_pct"] == change["observed_pct"]
    # USBP's El Paso sector: 38,637 in May 2019, 8,078 in August (the USBP file)
    assert changes["May -> August 2019"]["observed_pct"]["USBP El Paso"] == -79.1
    fit = _module("fit_destinations")
    training = result["training Oct 2018 - May 2019"]["observed"]
    assert training == fit.observed_counts()


def test_destinations_csv_holds_the_fitted_shares_for_every_nationality() -> None:
    """destinations.csv is what fit/fit_destinations.py fitted (fit/destinations.json), the
    same shares for every nationality of scenario.yml."""
    fitted = json.loads((FIT / "destinations.json").read_text())["shares"]
    scenario = corridor.load(REPO / "scenarios" / "mexico-2019")
    by_nat: dict[str, dict[str, float]] = {}
    for d in scenario.destinations:
        by_nat.setdefault(d.nationality, {})[d.goal] = d.share
    assert sorted(by_nat) == sorted(scenario.spec.nationalities)
    for shares in by_nat.values():
        assert shares == pytest.approx(fitted, abs=2e-6)


def test_the_sector_decomposition_recovers_known_shares_when_citizenships_diverge() -> None:
    """Sector counts made from known shares by citizenship give those shares back when each
    citizenship's monthly path is its own (here: a common rise, then falls of different depth
    and timing, as after June 2019). Tolerance 1 point: the counts are exact, so only the
    optimiser's stopping rule is left. Paths that are scaled copies of one another would not
    identify the shares; the training months come close to that (the script's docstring)."""
    tool = _module("sector_nationality")
    rng = np.random.default_rng(7)
    truth = rng.dirichlet(np.ones(9), size=5)
    months = np.arange(15.0)[:, None]
    size = np.array([1.0, 0.9, 0.4, 0.7, 0.3])
    fall_from = np.array([8, 9, 10, 11, 12])
    fall_rate = np.array([0.5, 0.3, 0.2, 0.05, 0.15])
    cit = 1e4 * size * (1 + months / 8) * np.exp(-fall_rate * np.clip(months - fall_from, 0, None))
    sec = cit @ truth
    err, shares = tool.fit(cit, sec, starts=2)[0]
    assert err < 1.0
    np.testing.assert_allclose(shares, truth, atol=0.01)


@needs_shared
def test_the_sector_what_if_copies_load_with_their_replaced_tables(tmp_path: Path) -> None:
    """fit/sector_whatif.py writes two scenarios that load: the inferred departures in both
    (May -> August 2019 per nationality as in fit/inferred_departures.json), and each
    citizenship's own sector shares in the second."""
    tool = _module("sector_whatif")
    tool.main([str(tmp_path)])
    inferred = json.loads((FIT / "inferred_departures.json").read_text())["nationalities"]
    shipped = json.loads((FIT / "sector_nationality.json").read_text())[tool.WINDOW]
    for name in ("inferred", "inferred_by_nationality"):
        scenario = corridor.load(tmp_path / name)
        people: dict[tuple[str, str], float] = {}
        for d in scenario.departures:
            key = (d.nationality, d.month)
            people[key] = people.get(key, 0.0) + d.people
        for nat in ("GT", "HN"):
            fall = 100 * (people[(nat, "2019-08")] / people[(nat, "2019-05")] - 1)
            assert fall == pytest.approx(
                inferred[nat]["inferred"]["departures_may_to_aug"], abs=0.1
            )
    scenario = corridor.load(tmp_path / "inferred_by_nationality")
    el_paso = {d.nationality: d.share for d in scenario.destinations if d.goal == "USBP El Paso"}
    for nat, share in el_paso.items():
        assert 100 * share == pytest.approx(shipped["shares_pct"][nat]["USBP El Paso"], abs=0.2)
