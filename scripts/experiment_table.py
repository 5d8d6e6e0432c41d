"""Print the macro-F1 table of the stance experiments (EXPERIMENTS/*.json) for the closing note, in Markdown."""

import json
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

SPLITS = ("dev", "seeds", "devnews", "h14")


def results(folder: Path) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(run, split, system, metrics) for every system in every NAME-SPLIT.json of the folder."""
    rows = []
    for path in sorted(folder.glob("*.json")):
        run, split = path.stem.rsplit("-", 1)
        rows += [(run, split, system, r) for system, r in json.loads(path.read_text(encoding="utf-8")).items()]
    return rows


def cells(rows: list[tuple[str, str, str, dict[str, Any]]]) -> dict[tuple[str, str], dict[str, str]]:
    """(run, system) -> split -> "F1 (lo-hi)"; baselines are labelled with the run whose inputs they used."""
    table: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for run, split, system, r in rows:
        ece = f", ECE {r['ece']:.2f}" if "ece" in r else ""
        table[(run, system)][split] = f"{r['macro_f1']:.3f} ({r['ci95'][0]:.2f}-{r['ci95'][1]:.2f}{ece})"
    return table


def seed_spread(rows: list[tuple[str, str, str, dict[str, Any]]]) -> dict[str, dict[str, str]]:
    """Mean and sd of the fine-tuned macro-F1 over runs that differ only in seed (NAME, NAME-s14, ...)."""
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for run, split, system, r in rows:
        if system.startswith("fine-tuned"):
            adapted = ", adapted" if system.endswith("adapted") else ""
            scores[re.sub(r"-s\d+$", "", run) + adapted][split].append(r["macro_f1"])
    spread = {}
    for run, by_split in scores.items():
        seeds = max(len(v) for v in by_split.values())
        if seeds > 1:
            spread[f"{run}: mean ± sd over {seeds} seeds"] = {
                s: f"{statistics.mean(v):.3f} ± {statistics.stdev(v):.3f}" for s, v in by_split.items() if len(v) > 1
            }
    return spread


def gains(rows: list[tuple[str, str, str, dict[str, Any]]]) -> dict[tuple[str, str], dict[str, str]]:
    """(run, baseline) -> split -> the fine-tuned model's macro-F1 minus the baseline's (paired 95% interval)."""
    table: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for run, split, system, r in rows:
        if "fine_tuned_gain" in r:
            g = r["fine_tuned_gain"]
            table[(run, system)][split] = f"{g['diff']:+.3f} ({g['ci95'][0]:+.2f} to {g['ci95'][1]:+.2f})"
    return table


def main(folder: Path) -> None:
    """One row per system, one column per evaluation set: macro-F1 (95% article-bootstrap interval, ECE)."""
    print("| run | system | " + " | ".join(SPLITS) + " |")
    print("|---|---|" + "---|" * len(SPLITS))
    rows = results(folder)
    for (run, system), by_split in cells(rows).items():
        print(f"| {run} | {system} | " + " | ".join(by_split.get(s, "-") for s in SPLITS) + " |")
    for name, by_split in seed_spread(rows).items():
        print(f"| | **{name}** | " + " | ".join(by_split.get(s, "-") for s in SPLITS) + " |")
    paired = gains(rows)
    if paired:
        print("\nFine-tuned model minus baseline, macro-F1 (95% interval from paired article resamples):\n")
        print("| run | baseline | " + " | ".join(SPLITS) + " |")
        print("|---|---|" + "---|" * len(SPLITS))
        for (run, system), by_split in paired.items():
            print(f"| {run} | {system} | " + " | ".join(by_split.get(s, "-") for s in SPLITS) + " |")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "runs/experiments"))
