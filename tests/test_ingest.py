from pathlib import Path

import pytest

from pipeline.ingest import IngestError, read_articles
from tests.conftest import SEEDS


def _read(path: Path):
    return list(read_articles([path]))


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty file"), (b"\x00\x01binary\x00" * 10, "binary"), (b"caf\xe9 " * 30, "not valid UTF-8")],
)
def test_bad_files_give_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (error,) = _read(path)
    assert isinstance(error, IngestError) and message in error.message and str(path) in str(error)


def test_malformed_jsonl_line_is_reported_and_the_rest_is_read(tmp_path):
    good = '{"id": "a1", "title": "T", "date": "2012-01-02", "text": "' + "Words of an article. " * 5 + '"}'
    path = tmp_path / "in.jsonl"
    path.write_text(good + "\n{not json\n" + good.replace("a1", "a2") + "\n", encoding="utf-8")
    items = _read(path)
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [e.line for e in errors] == [2]
    assert [a.id for a in items if not isinstance(a, IngestError)] == ["a1", "a2"]


def test_missing_file_is_an_error_not_a_crash(tmp_path):
    (error,) = _read(tmp_path / "nope.txt")
    assert isinstance(error, IngestError)


def test_seed_furniture_is_dropped_and_offsets_point_into_the_original():
    (article,) = _read(SEEDS / "001_1c8d85c5e4aae382.txt")
    kept = " ".join(article.paragraph_text(i) for i in range(len(article.paragraphs)))
    for furniture in ("browser is no longer supported", "cookies", "Have your say", "sign in to make a comment"):
        assert furniture not in kept
    assert article.dropped >= 8
    assert "Helga Pile, Unison’s national officer" in kept
    for span in article.paragraphs:
        assert article.text[span.start : span.end].strip() == article.text[span.start : span.end]


def test_repeated_lead_and_picture_credit_are_dropped():
    (article,) = _read(SEEDS / "000_4336bad4327cdd15.txt")
    texts = [article.paragraph_text(i) for i in range(len(article.paragraphs))]
    assert not any("(pic:" in t for t in texts)
    assert sum(t.startswith("Government attempts to roll out") for t in texts) == 1
    assert texts[-1].startswith("He wrote in The Times")


def test_html_is_cleaned_with_trafilatura(tmp_path):
    body = "<p>" + "Councils said the pilots were going ahead as planned across the region. " * 3 + "</p>"
    page = (
        f"<html><head><title>Pilots</title></head><body><nav>Home | News</nav><article>{body}</article></body></html>"
    )
    path = tmp_path / "a.html"
    path.write_text(page, encoding="utf-8")
    (article,) = _read(path)
    assert "Councils said the pilots" in article.text and "Home | News" not in article.text


def test_folder_metadata_gives_dates_and_is_not_read_as_articles(tmp_path, caplog):
    body = "Headline\n\n" + "The council said the pilot would start next year as planned. " * 2
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    (tmp_path / "b.txt").write_text(body.replace("council", "union"), encoding="utf-8")
    (tmp_path / "metadata.jsonl").write_text(
        '{"file": "a.txt", "date": "2009-03-04", "url": "https://example.org/a"}\n{broken\n', encoding="utf-8"
    )
    articles = {Path(a.source).name: a for a in read_articles([tmp_path])}
    assert set(articles) == {"a.txt", "b.txt"}
    assert (articles["a.txt"].date, articles["a.txt"].url) == ("2009-03-04", "https://example.org/a")
    assert articles["b.txt"].date is None
    assert "metadata.jsonl:2: malformed JSON" in caplog.text
