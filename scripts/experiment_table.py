"""Print the macro-F1 table of the stance experiments (runs/experiments/*.json) for the closing note."""

import json
import sys
from pathlib import Path


def main(folder: Path) -> None:
    """One line per system and evaluation set: macro-F1, 95% article-bootstrap interval, ECE."""
    print(f"{'set':6} {'system':44} {'macro-F1':>8} {'95% CI':>12} {'ECE':>6}")
    for path in sorted(folder.glob("*.json")):
        split = path.stem.rsplit("-", 1)[1]
        for system, r in json.loads(path.read_text(encoding="utf-8")).items():
            ece = f"{r['ece']:.3f}" if "ece" in r else "-"
            print(f"{split:6} {system:44} {r['macro_f1']:8.3f} {r['ci95'][0]:5.2f}-{r['ci95'][1]:4.2f} {ece:>6}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "runs/experiments"))
