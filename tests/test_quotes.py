import pytest


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # direct, attribution after
        (
            "“We will not take part in a scheme that is this rushed,” she said.",
            [("direct", "We will not take part in a scheme that is this rushed,")],
        ),
        # colon lead-in
        (
            "Jane Holt, chief executive of Kidsafe, said: “Practices will give children one worker they know.”",
            [("direct", "Practices will give children one worker they know.")],
        ),
        # split around the attribution
        (
            "“The pilots are a distraction,” said Unison officer Mark Dean. “They should be dropped.”",
            [("direct", "The pilots are a distraction,"), ("direct", "They should be dropped.")],
        ),
        # indirect with that
        (
            "Mark Dean said that the pilots would act as a distraction from core duties.",
            [("indirect", "the pilots would act as a distraction from core duties")],
        ),
        # accused ... of
        (
            "Kent County Council accused the department of rushing the pilots into operation.",
            [("indirect", "the department of rushing the pilots into operation")],
        ),
        # mixed
        (
            "A spokesperson for the LGA said councils were “deeply worried” about accountability for children.",
            [("mixed", "councils were “deeply worried” about accountability for children")],
        ),
        # a later reporting clause with its own subject ends the first quote's content
        (
            "Oakham Council and Brent Council told the inquiry they had expected more money, while Hove Council "
            "said it would close two homes.",
            [("indirect", "they had expected more money"), ("indirect", "it would close two homes")],
        ),
        # two cue verbs sharing one subject give two quotes
        (
            "Lena Hardy said the plan was “far too rushed” and warned that carers would leave the service.",
            [("mixed", "the plan was “far too rushed”"), ("indirect", "carers would leave the service")],
        ),
        # ... but not when the second cue is inside the quoted words
        (
            "A spokesperson said the two councils had left the scheme, “but indicated they would return next year”.",
            [("mixed", "the two councils had left the scheme, “but indicated they would return next year”")],
        ),
        # scare quotes and headings are not quotes
        ("The so-called “practices” model was announced in March by the government.", []),
        ("‘Complete shock’", []),
        # nested quotes stay inside one span
        (
            "A DfE spokesperson said: “Improvement should mean “sector funded” in the long term.”",
            [("direct", "Improvement should mean “sector funded” in the long term.")],
        ),
    ],
)
def test_segmentation(extract_text, body, expected):
    assert [(r["kind"], r["text"]) for r in extract_text(body)] == expected


def test_quote_over_two_paragraphs_is_one_span(extract_text):
    rows = extract_text("Ann Lowe, a foster carer, said: “The first year was hard.\n\n“The second year was better.”")
    assert len(rows) == 1
    assert rows[0]["text"] == "The first year was hard. The second year was better."
    assert rows[0]["speaker"] == "Ann Lowe"


def test_offsets_point_at_the_quote(extract_text):
    body = "“Children are better off with the council,” he said."
    (row,) = extract_text(body)
    text = "Headline\n\n" + body
    assert text[row["start"] : row["end"]] == row["text"]
