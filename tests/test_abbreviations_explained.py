"""Abbreviations explained without a mouse: a page's first use of each links to its glossary entry and spells out
its meaning for screen readers; later uses keep the <abbr> alone."""

import re

import pytest

pytestmark = pytest.mark.django_db

TABLE = "/winnenden-2019/tische/arbeitsmarktintegration/"


def test_the_first_use_on_a_page_links_to_the_glossary_entry_and_spells_out_the_meaning(client):
    html = client.get(TABLE).content.decode()

    uses = re.findall(r'(<a class="abbr" href="[^"]*">)?<abbr title="([^"]*)">JC</abbr>', html)
    assert len(uses) >= 2
    first_link, meaning = uses[0]
    assert first_link == '<a class="abbr" href="/winnenden-2019/glossar/#abk-jc">'
    assert f'JC</abbr><span class="visually-hidden"> ({meaning})</span></a>' in html
    assert [link for link, _meaning in uses[1:] if link] == []
    assert 'id="abk-jc"' in client.get("/winnenden-2019/glossar/").content.decode()


def test_each_abbreviation_is_explained_once_per_page(client):
    html = client.get(TABLE).content.decode()

    explained = re.findall(r'<a class="abbr" href="[^"#]*#([^"]+)">', html)
    assert explained
    assert len(explained) == len(set(explained))


def test_texts_inside_links_spell_out_the_meaning_without_a_nested_link(client):
    html = client.get("/winnenden-2019/glossar/").content.decode()

    assert '<a class="abbr"' not in html
    assert re.search(r'</abbr><span class="visually-hidden"> \([^)]+\)</span>', html)


def test_the_english_page_links_to_the_english_glossary(client):
    html = client.get("/en" + TABLE).content.decode()

    assert '<a class="abbr" href="/en/winnenden-2019/glossar/#abk-jc">' in html
