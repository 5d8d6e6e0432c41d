from pathlib import Path

from pipeline.config import PROJECT_ROOT
from pipeline.evaluation import evaluate_extraction, overlap, speaker_matches
from pipeline.records import Span


def test_overlap_and_speaker_matching():
    text = "one two three four"
    assert overlap(text, Span(0, 13), Span(4, 18)) == 2 / 3
    assert speaker_matches("Helga Pile", ["Helga Pile"])
    assert speaker_matches("senior children’s services source", ["senior children's services source"])
    assert not speaker_matches("Colin Hilton", ["Helga Pile"])


def test_seed_gold_meets_the_issue_targets(pipeline_config):
    report = evaluate_extraction(PROJECT_ROOT / "data/annotations/seeds.jsonl", pipeline_config)
    overall = report["overlap"]["overall"]
    assert overall["f1"] >= 0.9
    assert overall["organisation_accuracy"] >= 0.9
    assert overall["speaker_accuracy"] >= 0.9
    assert set(report["overlap"]["by_kind"]) == {"direct", "indirect", "mixed"}


def test_gold_with_missing_text_is_an_error(tmp_path):
    import pytest

    from pipeline.config import ConfigError

    gold = tmp_path / "g.jsonl"
    gold.write_text(
        '{"source": "data/seeds/000_4336bad4327cdd15.txt", "text": "not in the file", "kind": "direct", "route": "named"}\n'
    )
    with pytest.raises(ConfigError, match="not found"):
        evaluate_extraction(Path(gold))
