"""``make demo``: the shipped Flee-format example, a peer Flee scenario with its validation table
(where ../shared is present), and the flagship corridor scenario at full scale with its validation
table and ``report.html``."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

import corridor

if TYPE_CHECKING:
    from corridor.validate.flee_metric import FleeValidation

REPO = Path(__file__).resolve().parent.parent
console = Console()


def _validation_table(title: str, v: FleeValidation) -> Table:
    table = Table(title=title)
    table.add_column("camp")
    table.add_column("error (rescaled)", justify="right")
    table.add_column("error (normal)", justify="right")
    for camp in v.camps:
        table.add_row(camp, f"{v.per_camp_rescaled[camp]:.4f}", f"{v.per_camp_normal[camp]:.4f}")
    table.add_row("[bold]total", f"[bold]{v.error_rescaled:.4f}", f"[bold]{v.error_normal:.4f}")
    return table


def run_one(path: Path, out: Path, seed: int, note: str) -> None:
    scenario = corridor.load(path)
    result = corridor.run(scenario, seed=seed, out=out)
    m = result.manifest
    console.print(
        f"[green]ran[/] {scenario.name} ({note}): {m['days']} days, {m['agents']:,} agents, "
        f"{m['wall_seconds']:.2f} s -> {out}"
    )
    v = result.validation()
    console.print(_validation_table(f"{scenario.name}: Flee validation error", v))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO / "demo-output")
    args = parser.parse_args()
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)  # the demo's own folder: each demo starts afresh
    out.mkdir(parents=True)
    run_one(
        REPO / "examples" / "flee-synthetic",
        out / "flee-synthetic",
        seed=1,
        note="SYNTHETIC example shipped with corridor",
    )
    peer = args.shared / "peer" / "flee-scenarios" / "mali2012"
    if peer.is_dir():
        run_one(peer, out / "mali2012", seed=1, note="Flee peer scenario, observed UNHCR data")
        console.print("Flee 3.1's own error on mali2012 (two seeds): 0.2215 and 0.2231.")
    else:
        console.print(f"[yellow]{peer} not found: skipping the peer scenario.[/]")
    run_flagship(out / "mexico-2019")


def run_flagship(out: Path) -> None:
    """The flagship at full scale: validation table, then report.html."""
    from corridor.report.html import build_report

    scenario = corridor.load(REPO / "scenarios" / "mexico-2019")
    result = corridor.run(scenario, seed=1, out=out)
    m = result.manifest
    console.print(
        f"[green]ran[/] {scenario.name} (flagship, full scale): {m['days']} days, "
        f"{m['agents']:,} agents, {m['wall_seconds']:.2f} s -> {out}"
    )
    table = Table(title="mexico-2019: observed vs simulated (fitted up to 2019-05; later = test)")
    table.add_column("series", no_wrap=True)
    for col in ("observed", "simulated", "MAPE train %", "MAPE test %"):
        table.add_column(col, justify="right")
    for name, v in result.validation().items():
        table.add_row(
            name,
            f"{sum(v.observed):,.0f}",
            f"{sum(v.simulated):,.0f}",
            "-" if v.mape_train is None else f"{v.mape_train:.1f}",
            "-" if v.mape_test is None else f"{v.mape_test:.1f}",
        )
    console.print(table)
    report = build_report(out)
    console.print(f"[green]report[/] {report}")


if __name__ == "__main__":
    main()
