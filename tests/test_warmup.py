import logging

import pytest
from django.db import OperationalError
from django.template import engines

from results import search, warmup
from results.models import Card
from tests.factories import make_world_cafe


def test_before_fork_compiles_every_page_template_without_the_database():
    # Without the db fixture, pytest-django refuses every connection: before_fork() opens none.
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()

    warmup.before_fork()

    names = warmup.page_templates()
    assert "results/table.html" in names and "base.html" in names
    assert set(names) <= {key.split("-")[0] for key in loader.get_template_cache}


@pytest.mark.django_db
def test_after_fork_reads_what_the_search_keeps(django_assert_num_queries):
    _conference, tables, _stations = make_world_cafe(tables=2)

    assert warmup.after_fork() is True

    # Only the data version: the tables, stations and document order are already read.
    with django_assert_num_queries(1):
        parts_tables, _stations, order = search.archive_parts()
    assert {table.pk for table in tables} <= set(parts_tables)
    assert set(Card.objects.filter(table__in=tables).values_list("pk", flat=True)) <= set(order)


@pytest.mark.django_db
def test_after_fork_without_a_database_logs_and_lets_the_worker_start(monkeypatch, caplog):
    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(search, "archive_parts", unreachable)

    with caplog.at_level(logging.ERROR, logger="results.warmup"):
        assert warmup.after_fork() is False
    assert "Could not prepare the search" in caplog.text
