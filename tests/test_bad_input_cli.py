"""Bad input to the commands around a run: overlays, --out, --vary, --observed, --since, damaged
run and ensemble folders. Each gets exit code 2 and a message naming the file (or option) and what
was expected; none leaves a half-written folder or starts simulating work that cannot finish."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Never

import polars as pl
import pytest
import yaml
from typer.testing import CliRunner, Result

import corridor
import corridor.api
from corridor.calibrate.objectives import SeriesError, Window, read_observed
from corridor.cli import app
from corridor.errors import CorridorError
from corridor.validate.corridor_series import ObservedPoint, validate_series
from tests.conftest import REPO

runner = CliRunner()
SYNTH = REPO / "examples" / "corridor-synthetic"  # scenario.yml has seed: 1
FLEE = REPO / "examples" / "flee-synthetic"
FAST = ["--executor", "serial", "-q"]


def invoke(*args: object) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def assert_clean_failure(res: Result, *words: str) -> None:
    """Exit 2, no traceback, and each of ``words`` in the message."""
    assert res.exit_code == 2, (res.exit_code, res.output, res.exception)
    assert "Traceback" not in res.output
    for w in words:
        assert w in res.output, (w, res.output)


@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("good") / "run"
    res = invoke("run", SYNTH, "--days", "60", "--out", out, "-q")
    assert res.exit_code == 0, res.output
    return out


def copy_run(good_run: Path, tmp_path: Path) -> Path:
    target = tmp_path / "run"
    shutil.copytree(good_run, target)
    return target


def no_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> Never:
        raise AssertionError("simulated although the input was bad")

    monkeypatch.setattr(corridor.api, "run_corridor", boom)
    monkeypatch.setattr(corridor.api, "run_flee", boom)


# -- 1. overlays and --vary with values that are not numbers --------------------------------------


@pytest.mark.parametrize("value", ["abc", "[1, 2]", "true", ".nan"])
def test_overlay_value_that_is_not_a_number_names_file_and_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    overlay = tmp_path / "fit.yml"
    overlay.write_text(f"overrides:\n  w_time: {value}\n", encoding="utf-8")
    no_simulation(monkeypatch)
    res = invoke("run", SYNTH, "--overlay", overlay, "--out", tmp_path / "r", "-q")
    assert_clean_failure(res, "fit.yml", "w_time", "number")
    assert not (tmp_path / "r").exists()


def test_overlay_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    overlay = tmp_path / "fit.yml"
    overlay.write_bytes(b"overrides:\n  w_time: \xff\xfe\n")
    res = invoke("run", SYNTH, "--overlay", overlay, "--out", tmp_path / "r", "-q")
    assert_clean_failure(res, "fit.yml", "UTF-8")


def test_overlay_of_an_ensemble_is_checked_before_the_folder_is_made(tmp_path: Path) -> None:
    overlay = tmp_path / "fit.yml"
    overlay.write_text("overrides:\n  w_time: abc\n", encoding="utf-8")
    out = tmp_path / "ens"
    res = invoke("ensemble", SYNTH, "-n", "2", "--overlay", overlay, "--out", out, *FAST)
    assert_clean_failure(res, "fit.yml", "w_time")
    assert not out.exists()


def test_vary_choice_of_words_for_a_number_is_an_error(tmp_path: Path) -> None:
    out = tmp_path / "ens"
    res = invoke("ensemble", SYNTH, "-n", "2", "--vary", "w_time=choice(a,b)", "--out", out, *FAST)
    assert_clean_failure(res, "w_time=choice(a,b)", "expected a number")
    assert not out.exists()


# -- 2. --out that cannot be created is found before simulating -----------------------------------


def test_out_below_a_file_fails_before_simulating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    no_simulation(monkeypatch)
    res = invoke("run", SYNTH, "--out", tmp_path / "afile" / "sub" / "run", "-q")
    assert_clean_failure(res, "afile", "not a folder")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc (not writable)")
def test_out_in_an_unwritable_place_fails_before_simulating(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    no_simulation(monkeypatch)
    res = invoke("run", SYNTH, "--out", "/proc/corridor-test-run", "-q")
    assert_clean_failure(res, "/proc", "cannot write")


# -- 3. the scenario's seed -----------------------------------------------------------------------


def test_run_uses_the_scenario_seed_unless_seed_is_given(tmp_path: Path) -> None:
    res = invoke("run", SYNTH, "--days", "3", "--out", tmp_path / "a", "-q")
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "a" / "manifest.json").read_text())["seed"] == 1
    res = invoke("run", SYNTH, "--days", "3", "--seed", "0", "--out", tmp_path / "b", "-q")
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["seed"] == 0
    assert corridor.run(corridor.load(SYNTH), days=2).manifest["seed"] == 1


# -- 4. damaged run and ensemble folders ----------------------------------------------------------


def _manifest_list(run: Path) -> str:
    (run / "manifest.json").write_text("[1, 2]\n", encoding="utf-8")
    return "manifest.json"


def _manifest_without_days(run: Path) -> str:
    m = json.loads((run / "manifest.json").read_text())
    del m["days"]
    (run / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    return "'days'"


def _truncated_series(run: Path) -> str:
    data = (run / "series.parquet").read_bytes()
    (run / "series.parquet").write_bytes(data[: len(data) // 2])
    return "series.parquet"


def _garbage_observed(run: Path) -> str:
    (run / "observed.parquet").write_bytes(b"not parquet at all\n")
    return "observed.parquet"


def _series_without_value(run: Path) -> str:
    pl.DataFrame({"series": ["x"], "period": ["2030-01"]}).write_parquet(run / "series.parquet")
    return "'value'"


@pytest.mark.parametrize(
    "damage",
    [
        _manifest_list,
        _manifest_without_days,
        _truncated_series,
        _garbage_observed,
        _series_without_value,
    ],
)
@pytest.mark.parametrize("command", ["validate", "report"])
def test_damaged_run_folder_is_a_clear_error(
    good_run: Path, tmp_path: Path, damage: Callable[[Path], str], command: str
) -> None:
    run = copy_run(good_run, tmp_path)
    word = damage(run)
    assert_clean_failure(invoke(command, run), word)


def test_flee_out_csv_that_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    manifest = {"ruleset": "flee", "days": 2, "start_date": "2020-01-01"}
    (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (run / "out.csv").write_bytes(b"Day,Date,\xff\xfe\n0,2020-01-01\n")
    assert_clean_failure(invoke("validate", run), "out.csv", "UTF-8")


def test_report_of_an_ensemble_with_a_damaged_spec(tmp_path: Path) -> None:
    ens = tmp_path / "ens"
    ens.mkdir()
    pl.DataFrame({"series": ["x"], "period": ["2030-01"], "p5": [1.0]}).write_parquet(
        ens / "bands.parquet"
    )
    (ens / "ensemble.json").write_text("[1]\n", encoding="utf-8")
    assert_clean_failure(invoke("report", ens), "ensemble.json")


def test_resume_over_a_damaged_replica_names_it(tmp_path: Path) -> None:
    out = tmp_path / "ens"
    base = ["ensemble", SYNTH, "--days", "5", "--out", out, *FAST]
    assert invoke(*base, "-n", "2").exit_code == 0
    (out / "replicas" / "replica-00001.parquet").write_bytes(b"PAR1 cut short")
    assert_clean_failure(invoke(*base, "-n", "3", "--resume"), "replica-00001.parquet")
    (out / "ensemble.json").write_text('["not", "a", "spec"]', encoding="utf-8")
    assert_clean_failure(invoke(*base, "-n", "3", "--resume"), "ensemble.json")


# -- 5. calibrate and sensitivity on a corridor scenario ------------------------------------------


def test_calibrate_fits_corridor_parameters(tmp_path: Path) -> None:
    """A corridor scenario's settings are its parameters; its own observed series are the
    default objective."""
    fit = tmp_path / "fit.yml"
    args = ["--train-until", "2030-01-31", "--days", "60", "--trials", "1", "--batch", "1"]
    res = invoke("calibrate", SYNTH, "--param", "w_time=0.5:2", *args, "--out", fit, *FAST)
    assert res.exit_code == 0, res.output
    overlay = yaml.safe_load(fit.read_text(encoding="utf-8"))
    assert list(overlay["overrides"]) == ["parameters.w_time"]
    assert overlay["objective"] == "series_error"
    res = invoke("run", SYNTH, "--days", "3", "--overlay", fit, "--out", tmp_path / "r", "-q")
    assert res.exit_code == 0, res.output
    bad = invoke("calibrate", SYNTH, "--param", "move_chance_shelter=0.5:2", *args, *FAST)
    assert_clean_failure(bad, "move_chance_shelter", "outside [0, 1]")
    bad = invoke("calibrate", SYNTH, "--param", "nope=0:1", *args, *FAST)
    assert_clean_failure(bad, "nope", "w_time")


def test_sensitivity_over_corridor_parameters(tmp_path: Path) -> None:
    out = tmp_path / "sens"
    res = invoke(
        "sensitivity", SYNTH, "--param", "w_time=0.5:2", "--method", "morris", "--samples", "2",
        "--days", "31", "--out", out, *FAST,
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    indices = pl.read_parquet(out / "indices.parquet")
    assert set(indices["parameter"]) == {"parameters.w_time"}


# -- 6. --observed with yearly periods ------------------------------------------------------------


def test_observed_file_with_yearly_periods_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "obs.csv"
    path.write_text(
        "series,period,value\narrivals,2030-01,10\narrivals,2030,100\n", encoding="utf-8"
    )
    df = read_observed(path)
    assert df["period"].to_list() == ["2030-01", "2030"]

    class Run:
        def series(self) -> pl.DataFrame:
            return pl.DataFrame(
                {"series": ["arrivals"] * 2, "period": ["2030-01", "2030"], "value": [10.0, 150.0]}
            )

    err = SeriesError(df)
    assert err(Run(), Window(last="2030-12-31")) == pytest.approx(0.25)  # (0 + 0.5) / 2
    assert err(Run(), Window(last="2030-06-30")) == 0.0  # the year is not inside: month only
    path.write_text("series,period,value\narrivals,2030-13,10\n", encoding="utf-8")
    with pytest.raises(CorridorError, match=r"row 2, column 'period'.*YYYY"):
        read_observed(path)


# -- 7 and 11. compare ----------------------------------------------------------------------------


def test_compare_without_variant_or_event_says_what_to_give() -> None:
    res = invoke("compare", SYNTH, "-n", "1")
    assert_clean_failure(res, "VARIANT", "--without")
    assert "not both" not in res.output


def test_compare_since_must_be_a_month(monkeypatch: pytest.MonkeyPatch) -> None:
    no_simulation(monkeypatch)
    res = invoke("compare", SYNTH, "--without", "deployment", "--since", "garbage", "-n", "1")
    assert_clean_failure(res, "--since", "YYYY-MM")


def test_compare_corridor_with_flee_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    no_simulation(monkeypatch)
    res = invoke("compare", SYNTH, FLEE, "-n", "1", "--days", "5", *FAST)
    assert_clean_failure(res, "corridor", "flee", "same ruleset")


def test_compare_of_two_scenarios_labels_sides_by_name(tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(SYNTH, other)
    spec = other / "scenario.yml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("name: corridor-synthetic", "name: synth-b"),
        encoding="utf-8",
    )
    out = tmp_path / "cmp"
    res = invoke("compare", SYNTH, other, "-n", "1", "--days", "31", "--out", out, *FAST)
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["base"], summary["variant"]) == ("corridor-synthetic", "synth-b")
    from corridor.compare import summary_table

    rows = pl.DataFrame(summary["rows"])
    table = summary_table(rows, "t", (summary["base"], summary["variant"]))
    assert [str(c.header) for c in table.columns][1:3] == ["corridor-synthetic", "synth-b"]


# -- 8. --vary draws outside the allowed range ----------------------------------------------------


def test_vary_draws_out_of_range_leave_no_folder(tmp_path: Path) -> None:
    out = tmp_path / "ens"
    vary = "move_chance_shelter=normal(0.9,0.3)"
    res = invoke("ensemble", SYNTH, "-n", "4", "--days", "5", "--vary", vary, "--out", out, *FAST)
    assert_clean_failure(res, vary, "outside [0, 1]", "Nothing was run")
    assert not out.exists()


def test_run_ensemble_checks_every_draw_by_default(tmp_path: Path) -> None:
    """The Python API refuses the same ensemble as the command, before making its folder."""
    from corridor.ensemble import parse_vary, run_ensemble

    out = tmp_path / "ens"
    vary = [parse_vary("move_chance_shelter=normal(0.9,0.3)")]
    with pytest.raises(CorridorError, match="outside"):
        run_ensemble(SYNTH, out, replicas=4, seed=0, days=5, vary=vary)
    assert not out.exists()


# -- 9. MAPE with an observed zero ----------------------------------------------------------------


def test_observed_zero_is_left_out_of_mape_and_reported(good_run: Path, tmp_path: Path) -> None:
    sim = pl.DataFrame({"series": ["a"] * 3, "period": ["2030-01", "2030-02", "2030-03"],
                        "value": [5.0, 10.0, 30.0]})  # fmt: skip
    obs = [ObservedPoint("a", "2030-01", 0.0), ObservedPoint("a", "2030-02", 10.0),
           ObservedPoint("a", "2030-03", 20.0)]  # fmt: skip
    v = validate_series(sim, obs, None)["a"]
    assert v.mape_test == pytest.approx(25.0) and (v.excluded_train, v.excluded_test) == (0, 1)
    assert v.as_dict()["mape_excluded_zero_observed"] == {"train": 0, "test": 1}

    run = copy_run(good_run, tmp_path)
    observed = pl.read_parquet(run / "observed.parquet")
    first = observed.row(0, named=True)
    observed = observed.with_columns(
        pl.when((pl.col("series") == first["series"]) & (pl.col("period") == first["period"]))
        .then(0.0)
        .otherwise(pl.col("value"))
        .alias("value")
    )
    observed.write_parquet(run / "observed.parquet")
    res = invoke("validate", run, "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    counts = data["series"][first["series"]]["mape_excluded_zero_observed"]
    assert counts["train"] + counts["test"] == 1
    res = invoke("validate", run)
    assert res.exit_code == 0, res.output
    assert "leaves out 1 period whose observed value is 0" in " ".join(res.output.split())


def test_validate_prints_whole_names_when_piped(good_run: Path) -> None:
    """Piped (not a terminal), the table is as wide as it needs: series that differ only at their
    ends (deaths_<zone>) stay apart, and no header is cut."""
    names = json.loads(invoke("validate", good_run, "--json").output)["series"]
    res = invoke("validate", good_run)
    assert res.exit_code == 0, res.output
    assert "…" not in res.output
    for word in (*names, "observed total", "simulated total", "MAPE test %"):
        assert word in res.output, (word, res.output)


# -- 10. the manifest is written before the run folder gets its name ------------------------------


def test_manifest_is_written_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[Path] = []
    real = corridor.api.write_json

    def spy(path: Path, data: object) -> None:
        written.append(Path(path))
        real(path, data)

    monkeypatch.setattr(corridor.api, "write_json", spy)
    target = tmp_path / "run"
    result = corridor.run(corridor.load(SYNTH), days=3, out=target)
    assert written and all(p.parent != target for p in written), written
    on_disk = json.loads((target / "manifest.json").read_text())
    assert on_disk["wall_seconds"] == result.manifest["wall_seconds"]
    assert on_disk["timings"]["write_seconds"] <= on_disk["wall_seconds"]


def test_settings_hash_of_a_corridor_scenario_follows_its_parameters() -> None:
    """An ensemble's spec tells a corridor scenario with overridden parameters from the plain one,
    so --resume does not mix replicas of the two."""
    from corridor.ensemble.spec import settings_hash

    plain = corridor.api.load(SYNTH)
    changed = corridor.api.apply_overrides(plain, {"w_time": 2.0})
    assert settings_hash(plain) != "" and settings_hash(plain) != settings_hash(changed)
    assert settings_hash(plain) == settings_hash(corridor.api.load(SYNTH))
