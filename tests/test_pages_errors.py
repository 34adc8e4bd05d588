import pytest
from django.template.loader import get_template
from django.test import override_settings
from django.views.defaults import server_error


@pytest.mark.django_db
def test_404_page_is_german_and_helpful(client):
    response = client.get("/winnenden-2019/tische/gibt-es-nicht/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Seite nicht gefunden</h1>" in html
    assert '<a href="/suche/">Zur Suche</a>' in html


def test_500_page_renders_without_database_or_context_processors():
    # No django_db mark: any database access here would raise.
    html = get_template("500.html").render()

    assert "<h1>Fehler auf dem Server</h1>" in html
    assert '<html lang="de">' in html


@override_settings(DEBUG=False)
def test_500_handler_uses_the_template(rf):
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Fehler auf dem Server" in response.content.decode()
