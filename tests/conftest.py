import pytest
from django.core.management import call_command

FIXTURE = "fixtures/winnenden-2019.json"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real document's fixture once per session, as `make setup` does."""
    with django_db_blocker.unblock():
        call_command("load_conference", FIXTURE, verbosity=0)
