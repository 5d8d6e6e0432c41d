import pytest

from pipeline.config import PROJECT_ROOT
from pipeline.leakage import find_leaks
from pipeline.stance_data import load_corpus, read_jsonl


def test_near_duplicate_is_caught():
    test = [
        {"text": "Children are better off within the local government framework, which has better economies of scale."}
    ]
    train = [
        {"id": "x", "text": "children are better off within the local government framework which has better economies"}
    ]
    assert find_leaks(train, test)


@pytest.mark.parametrize("corpus", ["data/stance/parts", "data/stance/reserve"])
@pytest.mark.parametrize("held_out", ["test_seeds.jsonl", "test_devnews.jsonl", "test_h14.jsonl"])
def test_no_held_out_quote_in_training_corpus(corpus, held_out):
    """The training parts, and the reserve part that a user may move into them, stay clear of every test set."""
    test = read_jsonl(PROJECT_ROOT / "data/stance" / held_out)
    leaks = find_leaks(load_corpus(corpus), test)
    assert leaks == [], leaks[:3]
