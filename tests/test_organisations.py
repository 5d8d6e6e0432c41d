import pytest

from pipeline.config import ConfigError
from pipeline.organisations import OrganisationsConfig, load_lexicon


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Helga Pile, Unison’s national officer", ["Unison"]),
        ("British Association of Social Workers professional officer", ["British Association of Social Workers"]),
        ("a BASW spokesperson", ["British Association of Social Workers"]),
        ("A DCSF spokesperson", ["Department for Children, Schools and Families"]),
        (
            "Liverpool City Council , Sandwell MBC and Kent County Council",
            ["Liverpool Council", "Sandwell Council", "Kent Council"],
        ),
        ("Warwickshire County Council", ["Warwickshire Council"]),
        ("Hillingdon LBC", ["Hillingdon Council"]),
        ("the London Borough of Hillingdon", ["Hillingdon Council"]),
        ("Blackburn with Darwen Borough Council said", ["Blackburn with Darwen Council"]),
        ("Health and Care Professions Council", ["Health and Care Professions Council"]),
        ("Solace director Graeme McDonald", ["Society of Local Authority Chief Executives and Senior Managers"]),
        ("the council said", []),
        ("Hastings Borough Council and Neighbouring Dudley Council", ["Hastings Council", "Dudley Council"]),
        ("a lecturer at the University of Westmoor", ["University of Westmoor"]),
        ("researchers at Eastfield University said", ["Eastfield University"]),
    ],
)
def test_find_all(lexicon, text, expected):
    assert [m.name for m in lexicon.find_all(text)] == expected


def test_types_and_predecessor_merge(lexicon):
    from dataclasses import replace

    assert lexicon.type_of("Unison") == "union"
    assert lexicon.type_of("Kent Council") == "council"
    merged = replace(lexicon, merge_predecessors=True)
    assert merged.find_all("DCSF")[0].name == "Department for Education"


def test_unknown_organisation_kept_as_written(lexicon):
    match = lexicon.resolve("the Fostering Futures Network")
    assert match is not None and (match.name, match.type) == ("Fostering Futures Network", "other")


def test_unquoted_yaml_word_in_not_place_is_an_error(tmp_path):
    path = tmp_path / "orgs.yaml"
    path.write_text("council_pattern:\n  not_place: [The, No]\norganisations: []\n")  # YAML reads No as false
    with pytest.raises(ConfigError, match="not_place"):
        load_lexicon(OrganisationsConfig(lexicon=str(path)))
