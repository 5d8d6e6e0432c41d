"""The extraction workflow: worker processes give exactly what one process gives, in input order."""

from dataclasses import replace

import pytest

from pipeline.ingest import read_articles
from pipeline.workflow import ArticleQuotes, extract_articles
from tests.conftest import SEEDS


@pytest.mark.slow
def test_two_workers_match_one_process(pipeline_config, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    items = list(read_articles([SEEDS, tmp_path], pipeline_config.ingest))
    one = replace(pipeline_config, workflow=replace(pipeline_config.workflow, articles_per_batch=2, workers=1))
    two = replace(one, workflow=replace(one.workflow, workers=2))
    serial, parallel = list(extract_articles(items, one)), list(extract_articles(items, two))
    assert [type(r) for r in parallel].count(ArticleQuotes) == 5 and len(parallel) == 6  # the empty file: an error
    assert [r.rows for r in parallel if isinstance(r, ArticleQuotes)] == [
        r.rows for r in serial if isinstance(r, ArticleQuotes)
    ]
