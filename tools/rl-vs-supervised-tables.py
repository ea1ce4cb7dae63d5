#!/usr/bin/env python3
"""Markdown tables of an rl-vs-supervised run for docs/reproductions.md.

Usage: tools/rl-vs-supervised-tables.py OUT_DIR

Reads OUT_DIR/summary.csv and OUT_DIR/after-horizon.csv (written by `l2o experiment
rl-vs-supervised`) and prints, per setting: the mean final true objective of every optimizer
(lowest in bold, diverged runs in brackets), the mean area under the curve, which learned
optimizer is lowest on each, and the growth of the loss after the training horizon.
"""
import csv
import sys
from pathlib import Path


def short(name):
    if name.startswith("learned:"):
        return name[len("learned:"):]
    return name.split(":")[0]


def main(out):
    rows = list(csv.DictReader(open(out / "summary.csv")))
    cells = []
    for r in rows:
        key = (r["dataset"], r["setting"])
        if key not in cells:
            cells.append(key)
    names = []
    for r in rows:
        if r["optimizer"] not in names:
            names.append(r["optimizer"])
    by = {(r["dataset"], r["setting"], r["optimizer"]): r for r in rows}
    learned = [n for n in names if n.startswith("learned:")]

    def table(column, fmt, title):
        print(f"\n{title}\n")
        print("| dataset | setting | " + " | ".join(short(n) for n in names) + " | lowest learned |")
        print("|---|---|" + "---|" * (len(names) + 1))
        for d, s in cells:
            values = {}
            for n in names:
                r = by.get((d, s, n))
                if r is None:
                    continue
                v = float(r[column]) if r[column] not in ("", "NaN") else float("nan")
                values[n] = (v, int(r["diverged_runs"]), int(r["seeds"]))
            finite = {n: v for n, (v, div, _) in values.items() if v == v and div == 0}
            best = min(finite, key=finite.get) if finite else None
            cols = []
            for n in names:
                if n not in values:
                    cols.append("")
                    continue
                v, div, seeds = values[n]
                text = "diverged" if v != v else fmt.format(v)
                if n == best:
                    text = f"**{text}**"
                if div:
                    text += f" ({div}/{seeds} div.)"
                cols.append(text)
            lfin = {n: finite[n] for n in learned if n in finite}
            cols.append(short(min(lfin, key=lfin.get)) if lfin else "none without divergence")
            print(f"| {d} | {s} | " + " | ".join(cols) + " |")

    table("mean_final_value", "{:.4f}", "Mean final true objective (lowest without a diverged run in bold):")
    table("mean_auc", "{:.1f}", "Mean area under the curve (sum of true values over the run):")
    after = out / "after-horizon.csv"
    if after.exists():
        a = list(csv.DictReader(open(after)))
        print("\nGrowth of the loss after the training horizon (final / at T - 1; negative: still falling):\n")
        settings = []
        for r in a:
            if (r["dataset"], r["setting"]) not in settings:
                settings.append((r["dataset"], r["setting"]))
        print("| setting | " + " | ".join(short(n) for n in names) + " |")
        print("|---|" + "---|" * len(names))
        g = {(r["dataset"], r["setting"], r["optimizer"]): r["growth"] for r in a}
        for d, s in settings:
            cols = []
            for n in names:
                v = g.get((d, s, n), "")
                cols.append(f"{float(v):+.3f}" if v not in ("",) else "")
            print(f"| {s} | " + " | ".join(cols) + " |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
