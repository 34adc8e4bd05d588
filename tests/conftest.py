import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.utils import translation

FIXTURE = "fixtures/winnenden-2019.json"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real document's fixture once per session, as `make setup` does."""
    with django_db_blocker.unblock():
        call_command("load_conference", FIXTURE, verbosity=0)


@pytest.fixture(autouse=True)
def german_by_default():
    """Every test starts in the default language: a request in /en/ must not leave English active for the next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def page_cache(settings):
    """The page cache switched on (tests/settings.py has it off), and empty before and after."""
    settings.PAGE_CACHE = True
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a fresh directory of this test (the default storage follows MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
