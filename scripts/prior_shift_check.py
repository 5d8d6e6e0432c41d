"""Does prior adaptation help when the neutral share differs from training? Checked on the dev split only.

Resamples the model's dev split (articles its training held out) to several neutral shares, keeping
favour and against equal, and prints macro-F1 of the raw and prior-adapted predictions (mean and sd
over draws), so the choice of `scoring.adapt_prior` never looks at the held-out test sets.
Usage: .venv/bin/python scripts/prior_shift_check.py models/NAME [DRAWS]
"""

import sys
from pathlib import Path

import numpy as np

from pipeline.config import build
from pipeline.metrics import macro_f1
from pipeline.records import LABELS
from pipeline.stance import StanceModel, adapt_prior, top_labels
from pipeline.train import TrainConfig, splits

SHARES = (0.2, 0.33, 0.5, 0.65, 0.8)
SIZE = 300


def draw(gold: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Row indices (with replacement) with the given neutral share and equal favour and against."""
    counts = {"neutral": round(SIZE * share), "favour": round(SIZE * (1 - share) / 2)}
    counts["against"] = SIZE - counts["neutral"] - counts["favour"]
    return np.concatenate([rng.choice(np.flatnonzero(gold == lab), n, replace=True) for lab, n in counts.items()])


def main(model_dir: Path, draws: int) -> None:
    """One line per neutral share: raw and adapted macro-F1, and the estimated neutral share."""
    model = StanceModel.load(model_dir)
    rows = splits(build(TrainConfig, dict(model.meta["config"]), str(model_dir)))["dev"]
    gold = np.array([r["label"] for r in rows])
    probs = model.probabilities(rows)
    rng = np.random.default_rng(0)
    print(f"{model_dir}: dev split {len(rows)} quotes; {draws} draws of {SIZE} per share")
    print(
        "| neutral share | raw | EM, mode all | EM, mode neutral (favour:against tied) | est. neutral (all / neutral) |"
    )
    print("|---|---|---|---|---|")
    for share in SHARES:
        f1: dict[str, list[float]] = {"raw": [], "free": [], "tied": []}
        est: dict[str, list[float]] = {"free": [], "tied": []}
        for _ in range(draws):
            idx = draw(gold, share, rng)
            f1["raw"].append(macro_f1(gold[idx].tolist(), top_labels(probs[idx])))
            for kind, mode in (("free", "all"), ("tied", "neutral")):
                new, prior = adapt_prior(probs[idx], model.train_prior, mode)
                f1[kind].append(macro_f1(gold[idx].tolist(), top_labels(new)))
                est[kind].append(prior[LABELS.index("neutral")])
        cells = " | ".join(f"{np.mean(v):.3f} ± {np.std(v):.3f}" for v in f1.values())
        print(f"| {share:.2f} | {cells} | {np.mean(est['free']):.2f} / {np.mean(est['tied']):.2f} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 50)
