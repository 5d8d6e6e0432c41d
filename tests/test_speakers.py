import pytest


@pytest.mark.parametrize(
    ("body", "speakers"),
    [
        # named with appositive, then pronoun, then floating paragraph
        (
            "Helga Pile, Unison’s national officer, said there was a danger in the pilots.\n\n"
            "“We are worried about stability for children,” she said.\n\n“It is the wrong model for families.”",
            [
                ("Helga Pile", "Unison", "named"),
                ("Helga Pile", "Unison", "pronoun"),
                ("Helga Pile", "Unison", "floating"),
            ],
        ),
        # title before name, later surname
        (
            "“This is a shock to all of us,” said CIB director Colin Hilton.\n\n"
            "However, Hilton added: “Such work needs to be resourced properly.”",
            [
                ("Colin Hilton", "Children's Improvement Board", "named"),
                ("Colin Hilton", "Children's Improvement Board", "surname"),
            ],
        ),
        # description with organisation
        (
            "A spokesperson for the Department for Education said the councils had withdrawn after restructures.",
            [("spokesperson", "Department for Education", "description")],
        ),
        # organisation as speaker
        (
            "“Both authorities were concerned about the timescale,” a statement from Warwickshire Council said.",
            [("Warwickshire Council", "Warwickshire Council", "organisation")],
        ),
        # pronoun picks the gender-compatible person
        (
            "Sue Watts, director at Lincolnshire County Council, spoke after Tom Reed of the LGA left.\n\n"
            "“We have made child protection a priority,” she said.",
            [("Sue Watts", "Lincolnshire Council", "pronoun")],
        ),
        # anonymous source stays anonymous
        (
            "One senior children’s services source questioned how many councils had been serious about it.",
            [("senior children's services source", None, "description")],
        ),
    ],
)
def test_attribution(extract_text, body, speakers):
    rows = extract_text(body)
    assert [(r["speaker"], r["organisation"], r["route"]) for r in rows] == speakers
