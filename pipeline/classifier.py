"""The stance network: a Hugging Face sequence classifier (CLS pooler) or a mean-pooled encoder with a linear head.

Sentence-transformers encoders such as all-MiniLM-L6-v2 were trained to mean-pool their token vectors, so
"mean" starts fine-tuning from the representation the encoder learned; "cls" is transformers' default head.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import torch
from safetensors.torch import load_file, save_file
from transformers import AutoConfig, AutoModel, AutoModelForSequenceClassification

from pipeline.encoders import WEIGHTS
from pipeline.records import LABELS


class MeanPooledClassifier(torch.nn.Module):
    """Mean of the unmasked token vectors, dropout, then one linear layer to the labels."""

    def __init__(self, encoder: Any, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = torch.nn.Dropout(dropout)
        self.classifier = torch.nn.Linear(encoder.config.hidden_size, len(LABELS))

    @property
    def base_model(self) -> Any:
        """The encoder, named as transformers names it (freeze_lower reaches the layers through it)."""
        return self.encoder

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, **kwargs: Any) -> SimpleNamespace:
        """Logits from the masked mean of the last hidden states."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, **kwargs).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        return SimpleNamespace(logits=self.classifier(self.dropout(pooled)))

    def save_pretrained(self, out: Path | str) -> None:
        """The encoder's config.json and every weight, head included, in one safetensors file."""
        Path(out).mkdir(parents=True, exist_ok=True)
        self.encoder.config.save_pretrained(str(out))
        save_file({k: v.contiguous() for k, v in self.state_dict().items()}, str(Path(out) / WEIGHTS))

    @classmethod
    def from_trained(cls, path: Path | str) -> MeanPooledClassifier:
        """A model written by save_pretrained."""
        model = cls(AutoModel.from_config(AutoConfig.from_pretrained(str(path))))
        model.load_state_dict(load_file(str(Path(path) / WEIGHTS)))
        return model


def new_classifier(base: Path, pooling: str, init: Path | None = None) -> Any:
    """A network to fine-tune: from the base encoder, or from a stage-1 stance model when `init` is given."""
    if init is not None:
        return load_classifier(init, pooling)
    if pooling == "mean":
        return MeanPooledClassifier(AutoModel.from_pretrained(str(base)))
    return AutoModelForSequenceClassification.from_pretrained(
        str(base),
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={lab: i for i, lab in enumerate(LABELS)},
    )


def load_classifier(path: Path, pooling: str) -> Any:
    """A trained network from a model or checkpoint directory."""
    if pooling == "mean":
        return MeanPooledClassifier.from_trained(path)
    return AutoModelForSequenceClassification.from_pretrained(str(path))
