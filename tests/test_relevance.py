"""The search against the relevance set of tests/relevance.py: the targets of issue 13, on either engine."""

import pytest

from tests.relevance import HARD, QUERIES, evaluate, summary

pytestmark = pytest.mark.django_db


def test_the_relevance_set_has_at_least_forty_queries():
    assert len(QUERIES) >= 40


def test_recall_and_precision_reach_the_targets():
    results = evaluate()
    recall, precision, lowest = summary(results)

    low = [(query, round(r, 2)) for query, r, _p, _n, _f in results if r < 0.8]
    assert recall >= 0.95, results
    assert precision >= 0.8, results
    assert lowest >= 0.8, low


def test_the_hard_queries_are_measured_too():
    # Their every piece must name a card, like the main set's.
    assert len(evaluate(HARD)) == len(HARD)
