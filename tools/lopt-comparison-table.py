#!/usr/bin/env python3
"""Markdown table of a li-malik-2017 run's learned rows for docs/learned-optimizers.md.

Usage: tools/lopt-comparison-table.py OUT_DIR

Reads OUT_DIR/summary.csv and OUT_DIR/comparison.csv (written by `l2o experiment li-malik-2017`)
and prints one row per dataset and setting: the best MNIST-tuned baseline, every learned and
schedule row's mean final true objective (diverged runs in brackets), the best oracle, and each
learned row's relative distance to the baseline, the oracle and the schedule; then, per learned
row, in how many settings it is below each of them.
"""
import csv
import sys
from pathlib import Path


def pct(x):
    return f"{100 * float(x):+.1f}%"


def main(out):
    summary = list(csv.DictReader(open(out / "summary.csv")))
    comparison = list(csv.DictReader(open(out / "comparison.csv")))
    cells = []
    for r in summary:
        if (r["dataset"], r["setting"]) not in cells:
            cells.append((r["dataset"], r["setting"]))
    rows = []
    for r in summary:
        if r["role"] in ("learned", "schedule") and r["optimizer"] not in rows:
            rows.append(r["optimizer"])
    learned = []
    for r in comparison:
        if r["learned"] not in learned:
            learned.append(r["learned"])
    by = {(r["dataset"], r["setting"], r["optimizer"]): r for r in summary}
    cmp = {(r["dataset"], r["setting"], r["learned"]): r for r in comparison}

    def value(d, s, name):
        r = by.get((d, s, name))
        if r is None:
            return ""
        v = f"{float(r['mean_final_value']):.4f}"
        return v + (f" ({r['diverged_runs']} div.)" if r["diverged_runs"] != "0" else "")

    head = ["dataset", "setting", "best MNIST-tuned baseline"] + rows + ["best oracle"]
    for n in learned:
        head += [f"{n} vs baseline", f"{n} vs oracle", f"{n} vs schedule"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    counts = {n: [0, 0, 0, 0] for n in learned}
    for d, s in cells:
        any_row = next((cmp[(d, s, n)] for n in learned if (d, s, n) in cmp), None)
        if any_row is None:
            continue
        line = [d, s, f"{any_row['best_baseline']} {float(any_row['baseline_value']):.4f}"]
        line += [value(d, s, n) for n in rows]
        line.append(f"{any_row['best_oracle']} {float(any_row['oracle_value']):.4f}" if any_row["best_oracle"] else "")
        for n in learned:
            c = cmp.get((d, s, n))
            if c is None:
                line += ["", "", ""]
                continue
            counts[n][0] += 1
            for i, col in enumerate(("vs_baseline", "vs_oracle", "vs_schedule")):
                if c[col] == "":
                    line.append("")
                    continue
                line.append(pct(c[col]))
                if float(c[col]) < 0 and c["diverged_runs"] == "0":
                    counts[n][i + 1] += 1
        print("| " + " | ".join(line) + " |")
    print()
    for n, (total, b, o, sch) in counts.items():
        print(f"- `{n}`: below the best baseline in {b} of {total}, below the oracle in {o}, below the schedule in {sch}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tools/lopt-comparison-table.py OUT_DIR")
    main(Path(sys.argv[1]))
