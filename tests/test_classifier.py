"""The mean-pooled stance network: padding-invariant pooling, save/load round trip, freezing, config checks."""

import pytest
import torch

from pipeline.classifier import MeanPooledClassifier, load_classifier
from pipeline.train import freeze_lower


def _mean_pooled(layers: int = 2) -> MeanPooledClassifier:
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=layers, num_attention_heads=2,
                        intermediate_size=32)  # fmt: skip
    return MeanPooledClassifier(BertModel(config)).eval()


def test_padding_does_not_change_the_logits():
    model = _mean_pooled()
    ids = torch.tensor([[2, 7, 9, 3]])
    alone = model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits
    padded_ids = torch.tensor([[2, 7, 9, 3, 0, 0], [2, 5, 3, 0, 0, 0]])
    padded_mask = (padded_ids != 0).long()
    batch = model(input_ids=padded_ids, attention_mask=padded_mask).logits
    assert batch.shape == (2, 3)
    assert torch.allclose(alone[0], batch[0], atol=1e-5)


def test_saved_model_reloads_with_the_same_logits(tmp_path):
    model = _mean_pooled()
    ids = torch.tensor([[2, 7, 9, 3]])
    before = model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits
    model.save_pretrained(tmp_path)
    after = load_classifier(tmp_path, "mean").eval()(input_ids=ids, attention_mask=torch.ones_like(ids)).logits
    assert torch.allclose(before, after)


def test_freezing_reaches_the_encoder_of_a_mean_pooled_model():
    model = _mean_pooled(layers=3)
    freeze_lower(model, 2)
    trainable = {n.split(".")[0] for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == {"encoder", "classifier"}
    assert not any(p.requires_grad for p in model.encoder.embeddings.parameters())
    assert all(p.requires_grad for p in model.encoder.encoder.layer[2].parameters())


@pytest.mark.slow
def test_a_mean_pooled_model_learns_and_reloads_through_the_stance_model(tmp_path):
    from tests.conftest import train_and_reload

    _, model = train_and_reload(tmp_path, pooling="mean")
    assert isinstance(model.model, MeanPooledClassifier)
