from django.template import engines

from results import warmup


def test_before_fork_compiles_every_page_template_without_the_database():
    # Without the db fixture, pytest-django refuses every connection: before_fork() opens none.
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()

    warmup.before_fork()

    names = warmup.page_templates()
    assert "results/table.html" in names and "base.html" in names
    assert set(names) <= {key.split("-")[0] for key in loader.get_template_cache}


def test_after_fork_needs_nothing_from_the_database():
    # The search reads the database's full-text index, not a copy kept per worker.
    assert warmup.after_fork() is True
