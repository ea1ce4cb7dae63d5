#!/usr/bin/env python3
"""Learned rows of several li-malik-2017 runs beside one reference run's baselines and oracle.

Usage: tools/rows-against-reference.py REFERENCE_OUT LABEL=OUT_DIR:OPTIMIZER... [--schedule OPTIMIZER]

Runs evaluated under the same protocol (the same --seed, targets, steps and test seeds; for
example meta-training seeds compared with --meta-seed, each evaluated beside tuned AdaGrad only)
give the same numbers for the rows they share. This reads REFERENCE_OUT/summary.csv (the run with
every MNIST-tuned baseline and the oracle) and each OUT_DIR/summary.csv, refuses to go on when a
row present in both differs in its mean final value, and prints one Markdown row per dataset and
setting: the best baseline, each LABEL's optimizer, the schedule (a row of the reference, default
learned:mnist-v1), the best oracle, each LABEL's distance to the baseline; then, over the settings
of the test datasets (all but mnist, the training dataset), in how many each LABEL is below the
best baseline, the oracle and the schedule, and its diverged runs.
"""
import csv
import sys
from pathlib import Path


def read(out):
    rows = list(csv.DictReader(open(Path(out) / "summary.csv")))
    return {(r["dataset"], r["setting"], r["optimizer"]): r for r in rows}, rows


def main(args):
    schedule = "learned:mnist-v1"
    if "--schedule" in args:
        i = args.index("--schedule")
        schedule = args[i + 1]
        del args[i:i + 2]
    if len(args) < 2:
        sys.exit(__doc__.strip().splitlines()[2])
    reference, order = read(args[0])
    labels = []
    for spec in args[1:]:
        label, _, rest = spec.partition("=")
        out, _, optimizer = rest.partition(":")
        if not label or not out or not optimizer:
            sys.exit(f"expected LABEL=OUT_DIR:OPTIMIZER, got '{spec}'")
        run, _ = read(out)
        for key, r in run.items():
            if key in reference and r["mean_final_value"] != reference[key]["mean_final_value"]:
                sys.exit(f"{out}: {key} has mean final value {r['mean_final_value']}, the reference "
                         f"{reference[key]['mean_final_value']}: not the same protocol")
        labels.append((label, run, optimizer))
    cells = []
    for r in order:
        if (r["dataset"], r["setting"]) not in cells:
            cells.append((r["dataset"], r["setting"]))
    value = lambda r: float(r["mean_final_value"])
    pct = lambda x, y: f"{(x / y - 1) * 100:+.1f}%"
    head = ["dataset", "setting", "best MNIST-tuned baseline"] + [f"`{l}`" for l, _, _ in labels]
    head += [f"`{schedule.removeprefix('learned:')}` (schedule)", "best oracle"] + [f"{l} vs baseline" for l, _, _ in labels]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    counts = {l: [0, 0, 0, 0, 0] for l, _, _ in labels}
    for d, s in cells:
        here = [r for k, r in reference.items() if k[:2] == (d, s)]
        base = min((r for r in here if r["role"] == "baseline"), key=value)
        oracles = [r for r in here if r["role"] == "oracle"]
        oracle = min(oracles, key=value) if oracles else None
        sched = reference.get((d, s, schedule))
        mine = [run.get((d, s, optimizer)) for _, run, optimizer in labels]
        line = [d, s, f"{base['optimizer'].split(':')[0]} {value(base):.4f}"]
        line += [f"{value(r):.4f}" + (f" ({r['diverged_runs']} div.)" if r["diverged_runs"] != "0" else "")
                 if r else "" for r in mine]
        line.append(f"{value(sched):.4f}" if sched else "")
        line.append(f"{oracle['optimizer'].removeprefix('oracle:')} {value(oracle):.4f}" if oracle else "")
        line += [pct(value(r), value(base)) if r else "" for r in mine]
        print("| " + " | ".join(line) + " |")
        if d == "mnist":
            continue
        for (label, _, _), r in zip(labels, mine):
            if r is None:
                continue
            c = counts[label]
            c[0] += 1
            c[1] += value(r) < value(base)
            c[2] += oracle is not None and value(r) < value(oracle)
            c[3] += sched is not None and value(r) < value(sched)
            c[4] += int(r["diverged_runs"])
    print()
    for label, (n, b, o, sc, div) in counts.items():
        print(f"- `{label}`: below the best baseline in {b} of {n}, below the oracle in {o}, below the schedule "
              f"in {sc}; {div} diverged runs")


if __name__ == "__main__":
    main(sys.argv[1:])
