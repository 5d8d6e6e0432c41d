"""Model inputs: context without the quote, names masked, article-level splits, public pairs."""

import json

import pytest

from pipeline.stance_data import (
    InputSpec,
    elide,
    load_corpus,
    load_pairs,
    mask,
    model_text,
    sentence_context,
    split_of,
)

ARTICLE = (
    "Pilots open\n\nThe minister said the pilots would start in April. "
    "Jo Bloggs, of Unison, said: “Handing children’s services to a company is a gamble.” She added more.\n"
)


def test_context_is_the_sentence_around_the_quote():
    quote = "Handing children’s services to a company is a gamble."
    assert sentence_context(ARTICLE, quote) == f"Jo Bloggs, of Unison, said: “{quote}”"


@pytest.mark.parametrize(
    ("context", "quote", "expected"),
    [
        ("Jo said: “Cuts hurt.”", "Cuts hurt.", "Jo said: “…”"),
        ("Cuts hurt.", "Cuts hurt.", ""),  # the quote is the whole sentence: no framing to add
        ("She warned that cuts hurt.", "cuts hurt", "She warned that …."),
    ],
)
def test_elide_keeps_only_the_framing(context, quote, expected):
    assert elide(context, quote) == expected


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        (None, "[PERSON] of [ORG] and [PERSON] again, with [ORG]"),
        ({"Unison"}, "[PERSON] of [ORG] and [PERSON] again, with BASW"),  # another body named is content, kept
    ],
)
def test_speaker_and_organisations_are_masked(lexicon, only, expected):
    text = "Jo Bloggs of Unison and Bloggs again, with BASW"
    assert mask(text, "Jo Bloggs", "Unison", lexicon, only) == expected


ROW = {"text": "Unison is wrong", "context": "Jo Bloggs said Unison is wrong.", "speaker": "Jo Bloggs",
       "title": "Unison fights Bloggs trust plan"}  # fmt: skip


@pytest.mark.parametrize(
    ("masked", "spec", "expected"),
    [
        (True, InputSpec(), "[ORG] is wrong [SEP] [PERSON] said …."),
        (False, InputSpec(use_context=False), "Unison is wrong"),
        (
            True,
            InputSpec(use_title=True),
            "[ORG] fights [PERSON] trust plan [SEP] [ORG] is wrong [SEP] [PERSON] said ….",
        ),
        (False, InputSpec(use_context=False, use_title=True), "Unison fights Bloggs trust plan [SEP] Unison is wrong"),
    ],
)
def test_model_text_masks_title_quote_and_context(lexicon, masked, spec, expected):
    assert model_text(ROW, lexicon if masked else None, spec) == expected


def test_model_text_without_a_title_is_the_quote_and_context(lexicon):
    assert (
        model_text({**ROW, "title": ""}, lexicon, InputSpec(use_title=True)) == "[ORG] is wrong [SEP] [PERSON] said …."
    )


def test_speaker_scope_masks_the_speakers_organisation_under_any_alias(lexicon):
    row = {
        "text": "The Department for Education said the DfE would press on, and the LGA objected",
        "organisation": "DfE",
    }
    expected = "The [ORG] said the [ORG] would press on, and the LGA objected"
    assert model_text(row, lexicon, InputSpec(mask_scope="speaker")) == expected


def test_input_spec_of_an_older_config_keeps_the_defaults():
    assert InputSpec.of({"use_context": False, "name": "old", "mask_entities": True}) == InputSpec(use_context=False)


def test_corpus_rows_carry_their_sentence_context_and_headline(tmp_path):
    article = {"id": "a1", "title": "Pilots open", "text": ARTICLE}
    quote = {"id": "a1-q1", "article_id": "a1", "text": "Handing children’s services to a company is a gamble.",
             "label": "against"}  # fmt: skip
    (tmp_path / "articles_x.jsonl").write_text(json.dumps(article) + "\n")
    (tmp_path / "quotes_x.jsonl").write_text(json.dumps(quote) + "\n")
    [row] = load_corpus(str(tmp_path))
    assert (row["title"], row["context"]) == ("Pilots open", f"Jo Bloggs, of Unison, said: “{quote['text']}”")


def test_split_is_by_article_and_deterministic():
    ids = [f"article-{i}" for i in range(400)]
    dev = [i for i in ids if split_of(i, 20) == "dev"]
    assert dev == [i for i in ids if split_of(i, 20) == "dev"]
    assert 40 < len(dev) < 120


def test_pairs_take_their_topic_as_target(tmp_path):
    rows = [{"topic": "Zoos should close", "text": "Animals suffer.", "label": "favour", "split": "dev"},
            {"topic": "Zoos should close", "text": "", "label": "favour"},
            {"topic": "Zoos should close", "text": "They conserve.", "label": "against"}]  # fmt: skip
    (tmp_path / "p.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    pairs = load_pairs(str(tmp_path))
    assert [(p["target"], p["label"], p["split"]) for p in pairs] == [
        ("Zoos should close", "favour", "dev"),
        ("Zoos should close", "against", "train"),
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "expected"),
    [
        ("Prof Julian Le Grand said. Le Grand added.", "Julian Le Grand", "Prof [PERSON] said. [PERSON] added."),
        ("A DCSF spokesperson said so.", "spokesperson", "A [ORG] spokesperson said so."),  # a role is no name
        ("A DfE spokeswoman said so.", "DfE spokeswoman", "A [ORG] spokeswoman said so."),
        ("Another source said that.", "respected social services source", "Another source said that."),
        ("No council reform was judged so.", None, "No council reform was judged so."),
    ],
)
def test_mask_hides_names_not_roles(lexicon, text, speaker, expected):
    assert mask(text, speaker, None, lexicon) == expected
