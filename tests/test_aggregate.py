import pytest

from pipeline.aggregate import AggregateConfig, article_bootstrap, summarise, summarise_all


def _row(article, org, pf, pa, label, date="2010-05-01"):
    return {
        "article_id": article,
        "organisation": org,
        "organisation_type": "union" if org == "Unison" else "council",
        "p_favour": pf,
        "p_against": pa,
        "p_neutral": 1 - pf - pa,
        "label": label,
        "text": "q",
        "speaker": "s",
        "title": "t",
        "date": date,
    }


ROWS = [
    _row("a1", "Unison", 0.1, 0.8, "against"),
    _row("a1", "Unison", 0.2, 0.6, "against"),
    _row("a2", "Unison", 0.5, 0.3, "favour", "2011-01-01"),
    _row("a3", "Kent Council", 0.6, 0.2, "favour"),
    _row("a3", None, 0.6, 0.2, "favour"),
]


def test_hand_computed_figures():
    groups = {g.name: g for g in summarise(ROWS, AggregateConfig(min_quotes=3, min_articles=1))}
    unison = groups["Unison"]
    assert unison.quotes == 3 and unison.articles == 2
    assert unison.net == pytest.approx(((0.1 - 0.8) + (0.2 - 0.6) + (0.5 - 0.3)) / 3)
    assert unison.share == pytest.approx({"favour": 1 / 3, "against": 2 / 3, "neutral": 0.0})
    assert not unison.few and groups["Kent Council"].few
    assert unison.by_year["2010"] == pytest.approx(((-0.7 - 0.4) / 2, 2))
    assert unison.against_evidence[0]["p_against"] == 0.8
    assert "None" not in groups
    two_articles = {g.name: g for g in summarise(ROWS, AggregateConfig(min_quotes=3, min_articles=3))}["Unison"]
    assert two_articles.few  # three quotes but only two articles: the interval is not worth much


def test_bootstrap_resamples_articles():
    rows = [r for r in ROWS if r["organisation"] == "Unison"]
    low, high = article_bootstrap(rows, rounds=2000, seed=1)
    # two articles: article means -0.55 (two quotes) and +0.2; resampled means lie between
    assert low == pytest.approx(-0.55) and high == pytest.approx(0.2)


def test_group_by_type():
    names = [g.name for g in summarise(ROWS, AggregateConfig(by="type"))]
    assert names == ["union", "council"]


def test_all_quotes_include_unattributed_ones():
    overall = summarise_all(ROWS, AggregateConfig())
    assert overall.quotes == 5 and overall.articles == 3
    assert overall.by_year["2010"] == pytest.approx(((-0.7 - 0.4 + 0.4 + 0.4) / 4, 4))
