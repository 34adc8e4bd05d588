import re

import pytest

from results.models import Card
from tests.factories import make_conference


@pytest.mark.django_db
def test_source_page_numbers_every_line_with_an_anchor(client):
    make_conference(slug="fachtag", source_text="Titel\n\n• Mehr <Wohnraum>\n")

    html = client.get("/fachtag/quelle/").content.decode()

    lines = re.findall(
        r'<div class="line" id="zeile-(\d+)"><a class="ln" href="#zeile-\d+">(\d+)</a><span>(.*?)</span>', html
    )
    assert lines == [("1", "1", "Titel"), ("2", "2", ""), ("3", "3", "• Mehr &lt;Wohnraum&gt;")]


@pytest.mark.django_db
def test_source_page_without_text_says_so(client):
    make_conference(slug="fachtag", source_text="")

    html = client.get("/fachtag/quelle/").content.decode()

    assert "Der Text des Quelldokuments ist nicht hinterlegt." in html


@pytest.mark.django_db
def test_source_page_unknown_conference_is_404(client):
    assert client.get("/gibt-es-nicht/quelle/").status_code == 404


@pytest.mark.django_db
def test_winnenden_card_source_links_point_at_their_line(client):
    card = Card.objects.filter(
        table__conference__slug="winnenden-2019", text="Mutter-Kind-Kurse mit Kinderbetreuung"
    ).get()
    table_html = client.get(card.table.get_absolute_url()).content.decode()

    source_html = client.get("/winnenden-2019/quelle/").content.decode()

    assert f'<a href="/winnenden-2019/quelle/#zeile-{card.source_line}"' in table_html
    line = re.search(rf'id="zeile-{card.source_line}"><a class="ln" [^>]*>\d+</a><span>(.*?)</span>', source_html)
    assert line.group(1).strip() == "• Mutter-Kind-Kurse mit Kinderbetreuung"
