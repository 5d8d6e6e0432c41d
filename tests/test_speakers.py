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
        # conjoined organisations as speakers: the first is the speaker
        (
            "Oakham Council and Brent Council told the inquiry they had expected far more money.",
            [("Oakham Council", "Oakham Council", "organisation")],
        ),
        # a document of an organisation speaks for it
        (
            "Unison criticised the plan.\n\nThe union’s written evidence says waiting lists have doubled in two years.",
            [("Unison", "Unison", "organisation")],
        ),
        # "the trust" points back to an unlisted organisation whose name ends with that noun
        (
            "The Harbour Lane Children's Trust took over the service in May.\n\n"
            "Kit Mensah, the trust's chief executive, said staff had settled in well.",
            [("Kit Mensah", "Harbour Lane Children's Trust", "named")],
        ),
        # "a council spokeswoman" is the council the article is about
        (
            "Dunmore Council has closed two of its homes.\n\nA council spokeswoman said the remaining homes would stay open.",
            [("spokeswoman", "Dunmore Council", "description")],
        ),
        # a possessive inside the description ("the chair of its board") points to the previous sentence's subject
        (
            "The Local Government Association published its survey today.\n\n"
            "The chair of its resources board, Councillor Ivy Nash, said councils could not cope with demand.",
            [("Ivy Nash", "Local Government Association", "named")],
        ),
        # a shadow minister is not given the department of the ministerial role
        (
            "Shadow children’s minister Ava Kerr said the cuts would hurt families first.",
            [("Ava Kerr", None, "named")],
        ),
        # anonymous source stays anonymous
        (
            "One senior children’s services source questioned how many councils had been serious about it.",
            [("senior children's services source", None, "description")],
        ),
        # "Its <role>, <name>": the name is in the appositive, the organisation is the previous sentence's subject
        (
            "The Local Government Association has written to ministers about the plan.\n\n"
            "Its chair, Petra Lund, said the timetable was far too tight for councils.",
            [("Petra Lund", "Local Government Association", "named")],
        ),
        # an organisation the lexicon does not list, named in the person's description
        (
            "Dana Orme, chief executive of the fostering charity Kestrel Homes, said the new rules would drive carers away.",
            [("Dana Orme", "Kestrel Homes", "named")],
        ),
        # a council role takes the council the article is about; two subject nouns before the verb
        (
            "Hartley Council has delayed the vote on its residential homes.\n\n"
            "Cabinet member for schools Councillor Tom Ibbot said the delay would give families time to respond.",
            [("Tom Ibbot", "Hartley Council", "named")],
        ),
        # a minister with no department in the article takes the role's default department
        (
            "Children’s minister Rhona Vale said the pilots would be extended to every region next year.",
            [("Rhona Vale", "Department for Education", "named")],
        ),
        # the cue of a relative clause ("who asked not to be named") is not the attribution
        (
            "A foster carer, who asked not to be named, said the allowance had not risen in six years.",
            [("foster carer", None, "description")],
        ),
        # an organisation inside a description is dropped from the speaker
        (
            "A Department for Education spokeswoman said the figures were being checked again.",
            [("spokeswoman", "Department for Education", "description")],
        ),
        # a union branch the parser takes for a person is not a person; the pronoun goes to the officer
        (
            "Ros Mabey, secretary of Thornbury Unison, said carers felt ignored.\n\n"
            "“Nobody asked us what we thought,” she said.",
            [("Ros Mabey", "Unison", "named"), ("Ros Mabey", "Unison", "pronoun")],
        ),
    ],
)
def test_attribution(extract_text, body, speakers):
    rows = extract_text(body)
    assert [(r["speaker"], r["organisation"], r["route"]) for r in rows] == speakers
