"""Figures of a report, drawn with matplotlib and embedded as PNG data URIs."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from importlib import resources

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import polars as pl

from corridor.validate.periods import covered_whole, period_end

COLORS = {
    "road": "#6b6b6b",
    "bus": "#1f77b4",
    "rail": "#8c564b",
    "foot": "#2ca02c",
    "sea": "#17becf",
    "border": "#d62728",
}


def to_data_uri(fig: plt.Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _comparable(
    obs: pl.DataFrame, sim: pl.DataFrame, period: tuple[dt.date, dt.date] | None
) -> pl.DataFrame:
    """The observed periods a panel shows: months where the series has months (a yearly total
    beside them would dwarf them), else its years; with the run's first and last day
    (``period``), only the periods it covers whole, as the validation table compares them (a
    month or year covered in part cannot be set against a whole period's count). Without it
    (monthly means, where a part month is still a mean), the months simulated, and the years
    simulated from January to December."""
    monthly = obs.filter(pl.col("period").str.len_chars() == 7)
    shown = monthly if monthly.height else obs.filter(pl.col("period").str.len_chars() == 4)
    if period is not None:
        first, last = period
        return shown.filter(
            pl.col("period").map_elements(
                lambda p: covered_whole(p, first, last),
                return_dtype=pl.Boolean,
            )
        ).sort("period")
    months = set(sim["period"].to_list())
    if monthly.height:
        return monthly.filter(pl.col("period").is_in(list(months))).sort("period")
    return shown.filter(
        pl.col("period").map_elements(
            lambda y: f"{y}-01" in months and f"{y}-12" in months, return_dtype=pl.Boolean
        )
    ).sort("period")


def validation_panels(
    sim: pl.DataFrame,
    obs: pl.DataFrame,
    train_until: str | None,
    bands: pl.DataFrame | None,
    period: tuple[dt.date, dt.date] | None = None,
) -> str | None:
    """Observed vs simulated for every observed series (monthly; yearly series as points), over
    the periods the run covers whole where its first and last day (``period``) are given."""
    names = sorted(set(obs["series"].to_list()))
    if not names:
        return None
    cols = 3
    rows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.8 * rows), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        o = _comparable(
            obs.filter(pl.col("series") == name), sim.filter(pl.col("series") == name), period
        )
        periods = o["period"].to_list()
        x = np.arange(len(periods))
        if bands is not None and name in set(bands["series"].to_list()):
            b = bands.filter(pl.col("series") == name)
            b = dict(zip(b["period"].to_list(), b.iter_rows(named=True), strict=True))
            lo5 = [b[p]["p5"] if p in b else np.nan for p in periods]
            hi95 = [b[p]["p95"] if p in b else np.nan for p in periods]
            lo25 = [b[p]["p25"] if p in b else np.nan for p in periods]
            hi75 = [b[p]["p75"] if p in b else np.nan for p in periods]
            med = [b[p]["p50"] if p in b else np.nan for p in periods]
            ax.fill_between(x, lo5, hi95, color="#1f77b4", alpha=0.15, label="p5-p95")
            ax.fill_between(x, lo25, hi75, color="#1f77b4", alpha=0.3, label="p25-p75")
            ax.plot(x, med, color="#1f77b4", lw=1.5, label="simulated (median)")
        else:
            s = sim.filter(pl.col("series") == name)
            s = dict(zip(s["period"].to_list(), s["value"].to_list(), strict=True))
            ax.plot(
                x,
                [s.get(p, np.nan) for p in periods],
                color="#1f77b4",
                lw=1.5,
                marker=".",
                label="simulated",
            )
        ax.plot(x, o["value"].to_list(), color="black", lw=1.2, marker="o", ms=3, label="observed")
        if train_until:
            cut = [
                i
                for i, p in enumerate(periods)
                if period_end(p) <= dt.date.fromisoformat(train_until)
            ]
            if cut and cut[-1] < len(periods) - 1:
                ax.axvline(cut[-1] + 0.5, color="#999", ls="--", lw=1)
        ax.set_title(name, fontsize=9)
        step = max(1, len(periods) // 6)
        ax.set_xticks(x[::step], [p for p in periods[::step]], fontsize=7, rotation=30)
        ax.tick_params(axis="y", labelsize=7)
    for ax in list(axes.flat)[len(names) :]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.tight_layout()
    return to_data_uri(fig)


def lines(
    df: pl.DataFrame,
    x: str,
    y: str,
    by: str,
    title: str,
    ylabel: str,
    stacked: bool = False,
    missing: float = 0.0,
) -> str:
    """One line per value of ``by`` (stacked areas if ``stacked``); a point a group lacks is
    drawn as ``missing``: 0 for counts, NaN (a gap) for a mean that has no cases."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    groups = sorted(set(df[by].to_list()))
    xs = sorted(set(df[x].to_list()))
    table = {
        g: dict(
            zip(
                *df.filter(pl.col(by) == g).select(x, y).to_dict(as_series=False).values(),
                strict=True,
            )
        )
        for g in groups
    }
    data = [[_or(table[g].get(v), missing) for v in xs] for g in groups]
    idx = np.arange(len(xs))
    if stacked:
        ax.stackplot(
            idx,
            data,
            labels=groups,
            colors=[COLORS.get(g) for g in groups] if all(g in COLORS for g in groups) else None,
        )
    else:
        for g, d in zip(groups, data, strict=True):
            ax.plot(idx, d, label=g, color=COLORS.get(g))
    step = max(1, len(xs) // 8)
    ax.set_xticks(idx[::step], [str(v) for v in xs[::step]], fontsize=7, rotation=30)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.legend(fontsize=7, ncol=4, loc="upper left")
    fig.tight_layout()
    return to_data_uri(fig)


def _or(value: float | None, missing: float) -> float:
    return missing if value is None else value


def attempts(df: pl.DataFrame, top: int = 5) -> str | None:
    """For each number of times people set off (``top`` and more together), the shares of where
    they were at the end of the run, with the number of people above each bar: whether trying
    again got people through."""
    if df.is_empty():
        return None
    labels = [str(k) for k in range(1, top)] + [f"{top}+"]
    states = sorted(set(df["state"].to_list()))
    counts = np.zeros((len(states), len(labels)))
    for state, k, people in df.select("state", "attempts", "people").iter_rows():
        counts[states.index(state), min(k, top) - 1] += people
    totals = counts.sum(axis=0)
    shares = counts / np.where(totals > 0, totals, 1.0)
    fig, ax = plt.subplots(figsize=(9, 3.2))
    x = np.arange(len(labels))
    bottom = np.zeros(len(labels))
    for state, row in zip(states, shares, strict=True):
        ax.bar(x, row, bottom=bottom, label=state)
        bottom += row
    for xi, n in zip(x, totals, strict=True):
        ax.text(xi, 1.01, f"{int(n):,}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_xlabel("times set off (the first included); above each bar: agents", fontsize=8)
    ax.set_ylabel("share", fontsize=8)
    ax.set_ylim(0, 1.12)
    ax.set_title("Where people were at the end of the run, by number of attempts", fontsize=10)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return to_data_uri(fig)


def occupancy(df: pl.DataFrame) -> str | None:
    """Monthly mean people held vs official capacity, per facility."""
    if df.is_empty():
        return None
    fac = sorted(set(df["facility"].to_list()))
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(fac) + 1.2))
    peak = df.group_by("facility").agg(pl.col("held").max(), pl.col("capacity").first())
    peak = {r["facility"]: r for r in peak.iter_rows(named=True)}
    y = np.arange(len(fac))
    ax.barh(
        y,
        [peak[f]["held"] for f in fac],
        color="#d62728",
        alpha=0.7,
        label="peak monthly mean held",
    )
    ax.scatter(
        [peak[f]["capacity"] for f in fac],
        y,
        color="black",
        marker="|",
        s=200,
        label="official capacity",
    )
    ax.set_yticks(y, fac, fontsize=7)
    ax.set_xlabel("people", fontsize=8)
    ax.set_title("Detention: peak occupancy vs official capacity", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return to_data_uri(fig)


def network_map(places: pl.DataFrame, flows: pl.DataFrame, title: str) -> str:
    """Places and route flows drawn on Natural Earth country outlines (shipped with corridor)."""
    data = json.loads(
        resources.files("corridor.data").joinpath("boundaries_americas.json").read_text()
    )
    fig, ax = plt.subplots(figsize=(9, 6.5))
    for c in data["countries"]:
        for ring in c["rings"]:
            r = np.array(ring)
            ax.fill(r[:, 0], r[:, 1], color="#f2efe9", ec="#b5b0a6", lw=0.5, zorder=0)
    lat = dict(zip(places["name"].to_list(), places["lat"].to_list(), strict=True))
    lon = dict(zip(places["name"].to_list(), places["lon"].to_list(), strict=True))
    if not flows.is_empty():
        top = max(flows["flow"].max() or 1, 1)
        for r in flows.sort("flow").iter_rows(named=True):
            if r["from"] in lat and r["to"] in lat and r["flow"] > 0:
                ax.plot(
                    [lon[r["from"]], lon[r["to"]]],
                    [lat[r["from"]], lat[r["to"]]],
                    color=COLORS.get(r.get("mode") or "", "#1f77b4"),
                    lw=0.4 + 5.0 * (r["flow"] / top) ** 0.5,
                    alpha=0.75,
                    zorder=1,
                )
    kinds = sorted(set(places["kind"].to_list()))
    markers = "osD^v<>ph*"
    for k, kind in enumerate(kinds):
        sub = places.filter(pl.col("kind") == kind)
        ax.scatter(
            sub["lon"],
            sub["lat"],
            s=14,
            marker=markers[k % len(markers)],
            label=kind,
            zorder=2,
            ec="black",
            lw=0.3,
        )
    pad = 1.5
    ax.set_xlim(min(lon.values()) - pad, max(lon.values()) + pad)
    ax.set_ylim(min(lat.values()) - pad, max(lat.values()) + pad)
    ax.set_aspect("equal", adjustable="box")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
    ax.text(
        0.99,
        0.01,
        "Boundaries: Natural Earth (public domain)",
        transform=ax.transAxes,
        ha="right",
        fontsize=6,
        color="#777",
    )
    fig.tight_layout()
    return to_data_uri(fig)
