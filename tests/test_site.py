"""The pages around the content: table list, URL prefixes, signs, QR codes, SITE_URL, sitemap, robots.txt, favicon."""

import io
import re
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.conf import settings
from django.contrib.auth.models import User
from PIL import Image

from results.models import ThemeTable
from tests.factories import make_conference, make_station, make_table, make_table_station
from tests.page_types import CONF, TABLE_SLUG, page_paths
from tests.test_qr import decode

pytestmark = pytest.mark.django_db

LINK = re.compile(r'(?:href|src)="(/[^"#?]*)')


def test_table_list_lists_every_table_in_order(client):
    html = client.get(f"/{CONF}/tische/").content.decode()

    titles = re.findall(r'<li value="\d+"><a href="/winnenden-2019/tische/[^/"]+/">([^<]+)</a>', html)
    expected = list(ThemeTable.objects.filter(conference__slug=CONF).order_by("number").values_list("title", flat=True))
    assert titles == expected
    assert len(titles) == 11
    assert f'href="/{CONF}/aushaenge/"' in html


def public_paths(client):
    """Every same-site path linked from one page of every type in both languages, without static files."""
    paths = set()
    for language in ["de", "en"]:
        for name, path in page_paths(language):
            if name == "404":
                continue
            paths.add(path.split("?")[0])
            paths.update(LINK.findall(client.get(path).content.decode()))
    return {
        path
        for path in paths
        if not path.startswith(("/" + settings.STATIC_URL.lstrip("/"), "/" + settings.ADMIN_PATH))
    }


def test_every_prefix_of_a_public_url_is_a_page_or_a_redirect(client):
    prefixes = set()
    for path in public_paths(client):
        parts = path.strip("/").split("/")
        prefixes.update("/" + "/".join(parts[:n]) + "/" for n in range(len(parts)))

    statuses = {prefix: client.get(prefix).status_code for prefix in sorted(prefixes)}

    assert f"/{CONF}/tische/" in statuses
    assert f"/en/{CONF}/stationen/" in statuses
    assert {prefix: status for prefix, status in statuses.items() if status not in {200, 301, 302}} == {}


def test_table_list_and_signs_take_no_query_per_table(client, django_assert_num_queries):
    # The conference and its tables; the signs also the tables' stations. Links need no query per table.
    with django_assert_num_queries(2):
        client.get(f"/{CONF}/tische/")
    with django_assert_num_queries(4):
        client.get(f"/{CONF}/aushaenge/")


def test_station_list_prefix_redirects_to_the_conference_stations(client):
    response = client.get(f"/{CONF}/stationen/")

    assert (response.status_code, response["Location"]) == (302, f"/{CONF}/#stationen")


def test_signs_sheet_prints_one_page_per_table(client):
    html = client.get(f"/{CONF}/aushaenge/").content.decode()

    signs = re.findall(r'<section class="sign".*?</section>', html, re.S)
    assert len(signs) == 11
    first = signs[0]
    # The QR codes are in the page: one request prints all, and each decodes to its table's short link.
    qr = re.search(r"<svg .*?</svg>", first, re.S).group(0).encode()
    assert decode(qr) == ["http://testserver/winnenden-2019/tische/1/"]
    assert html.count('<svg role="img"') == 11
    assert '<p class="sign-url">http://testserver/winnenden-2019/tische/1/</p>' in first
    assert re.findall(r"<li value=\"(\d)\">", first) == ["1", "2", "3"]
    assert html.count("<main") == 1
    css = (settings.BASE_DIR / "static/css/sign.css").read_text()
    assert ".sign + .sign { break-before: page; }" in css


def test_sign_shows_the_tables_station_questions(client):
    conference = make_conference(slug="fachtag")
    table = make_table(conference, 2, title="Wohnen")
    make_table_station(table, make_station(conference, 1, question="Was läuft gut?"))
    make_table_station(table, make_station(conference, 2, question="Ziele?"), heading="Was sind unsere Ziele?")
    make_station(conference, 3, question="Wer hilft?")  # table 2 has nothing for it

    html = client.get("/fachtag/tische/wohnen/aushang/").content.decode()

    assert (
        '<ol class="sign-questions"><li value="1">Was läuft gut?</li><li value="2">Was sind unsere Ziele?</li></ol>'
        in html
    )


def test_table_qr_png_decodes_to_the_absolute_short_link(client):
    response = client.get(f"/{CONF}/tische/{TABLE_SLUG}/qr.png")

    assert response["Content-Type"] == "image/png"
    found = [barcode.text for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))]
    assert found == [f"http://testserver/{CONF}/tische/3/"]


def test_table_qr_png_of_a_renamed_slug_redirects(client):
    conference = make_conference(slug="fachtag")
    table = make_table(conference, 4, title="Alt")
    table.title, table.slug = "Neu", "neu"
    table.save()

    response = client.get("/fachtag/tische/alt/qr.png")

    assert (response.status_code, response["Location"]) == (301, "/fachtag/tische/neu/qr.png")


def test_site_url_is_used_by_qr_codes_and_signs(client, settings):
    settings.SITE_URL = "https://archiv.example.org"

    svg = client.get(f"/{CONF}/tische/{TABLE_SLUG}/qr.svg").content
    png = client.get(f"/{CONF}/tische/{TABLE_SLUG}/qr.png").content
    sign = client.get(f"/{CONF}/tische/{TABLE_SLUG}/aushang/", HTTP_HOST="127.0.0.1").content.decode()
    table = client.get(f"/{CONF}/tische/{TABLE_SLUG}/").content.decode()

    assert decode(svg) == ["https://archiv.example.org/winnenden-2019/tische/3/"]
    assert [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == decode(svg)
    assert '<p class="sign-url">https://archiv.example.org/winnenden-2019/tische/3/</p>' in sign
    assert "sign-warning" not in sign
    assert "https://archiv.example.org/winnenden-2019/tische/3/" in table


@pytest.mark.parametrize(
    ("host", "warning"),
    [
        ("127.0.0.1:8100", "Diese Adresse funktioniert nur auf diesem Rechner."),
        ("localhost", "Diese Adresse funktioniert nur auf diesem Rechner."),
        ("192.168.1.20", "Diese Adresse funktioniert nur im lokalen Netz."),
        ("archiv.example.org", None),
    ],
)
def test_sign_without_site_url_says_when_its_address_is_local(client, settings, host, warning):
    settings.ALLOWED_HOSTS = [host.split(":")[0]]

    html = client.get(f"/{CONF}/aushaenge/", HTTP_HOST=host).content.decode()

    assert f'<p class="sign-url">http://{host}/winnenden-2019/tische/1/</p>' in html
    assert re.findall(r'<p class="sign-warning">([^<]*)</p>', html) == ([warning] * 11 if warning else [])


def test_admin_index_warns_while_site_url_is_unset(client, settings):
    client.force_login(User.objects.create_superuser("admin", "a@example.org", "pw-long-enough-1"))

    local = client.get("/" + settings.ADMIN_PATH, HTTP_HOST="127.0.0.1").content.decode()
    settings.SITE_URL = "https://archiv.example.org"
    configured = client.get("/" + settings.ADMIN_PATH, HTTP_HOST="127.0.0.1").content.decode()

    assert "SITE_URL ist nicht gesetzt" in local
    assert "Diese Adresse funktioniert nur auf diesem Rechner." in local
    assert "SITE_URL ist nicht gesetzt" not in configured


def head_links(html):
    return re.findall(r'<link rel="(canonical|alternate)"(?: hreflang="([^"]+)")? href="([^"]+)">', html)


def test_canonical_and_hreflang_links_are_absolute_on_site_url(client, settings):
    settings.SITE_URL = "https://archiv.example.org"

    html = client.get(f"/en/{CONF}/tische/{TABLE_SLUG}/").content.decode()

    path = f"/{CONF}/tische/{TABLE_SLUG}/"
    assert head_links(html) == [
        ("canonical", "", f"https://archiv.example.org/en{path}"),
        ("alternate", "de", f"https://archiv.example.org{path}"),
        ("alternate", "en", f"https://archiv.example.org/en{path}"),
        ("alternate", "x-default", f"https://archiv.example.org{path}"),
    ]


def test_canonical_link_without_site_url_is_the_requests_address(client):
    html = client.get(f"/{CONF}/").content.decode()

    assert head_links(html)[0] == ("canonical", "", f"http://testserver/{CONF}/")


def meta(html, name):
    found = re.findall(rf'<meta name="{name}" content="([^"]*)">', html)
    return found[0] if found else None


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_has_its_own_description(client, language):
    descriptions = {
        name: meta(client.get(path).content.decode(), "description")
        for name, path in page_paths(language)
        if name != "404"
    }

    assert all(descriptions.values()), descriptions
    # Pages of different content say different things.
    content_pages = ["home", "conference", "table", "station", "source", "data", "glossary", "actors", "topics"]
    assert len({descriptions[name] for name in content_pages}) == len(content_pages)
    assert "Verstetigung IntMan, Nachhaltigkeit" in descriptions["table"]


def test_forms_filtered_lists_and_errors_are_noindex(client):
    robots = {name: meta(client.get(path).content.decode(), "robots") for name, path in page_paths("de")}

    noindex = {name for name, value in robots.items() if value == "noindex"}
    assert noindex == {
        "cards filtered",
        "cards no result",
        "cards invalid",
        "search",
        "search no result",
        "report",
        "404",
    }


def sitemap(client):
    """The locations of every section the index names, and the sections' XML."""
    index = client.get("/sitemap.xml").content.decode()
    sections = [
        client.get(urlsplit(loc).path + (f"?{urlsplit(loc).query}" if urlsplit(loc).query else ""))
        for loc in re.findall(r"<loc>([^<]+)</loc>", index)
    ]
    xml = "".join(section.content.decode() for section in sections)
    return index, re.findall(r"<loc>([^<]+)</loc>", xml), xml


def test_sitemap_lists_every_page_in_both_languages_with_alternates(client, settings):
    settings.SITE_URL = "https://archiv.example.org"

    index, locs, xml = sitemap(client)

    assert re.findall(r"<loc>([^<]+)</loc>", index) == [
        f"https://archiv.example.org/sitemap-{section}.xml"
        for section in ["pages", "conferences", "tables", "stations"]
    ]
    table = f"https://archiv.example.org/{CONF}/tische/{TABLE_SLUG}/"
    assert table in locs
    assert f"https://archiv.example.org/en/{CONF}/tische/{TABLE_SLUG}/" in locs
    assert f"https://archiv.example.org/en/{CONF}/stationen/3/" in locs
    assert f"https://archiv.example.org/{CONF}/tische/" in locs
    assert (
        f'<xhtml:link rel="alternate" hreflang="en" href="https://archiv.example.org/en{urlsplit(table).path}"/>' in xml
    )
    assert all(loc.startswith("https://archiv.example.org/") for loc in locs)
    assert len(locs) == len(set(locs))


def test_sitemap_urls_are_pages(client):
    _index, locs, _xml = sitemap(client)

    statuses = {urlsplit(loc).path: client.get(urlsplit(loc).path).status_code for loc in locs}

    assert len(statuses) > 2 * (11 + 3)
    assert {path: status for path, status in statuses.items() if status != 200} == {}


def test_robots_txt_names_the_sitemap(client, settings):
    settings.SITE_URL = "https://archiv.example.org"

    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Allow: /",
        "",
        "Sitemap: https://archiv.example.org/sitemap.xml",
    ]


def test_favicon_is_a_real_icon(client):
    response = client.get("/favicon.ico")

    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert (response["Content-Type"], icon.format) == ("image/x-icon", "ICO")
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in client.get("/").content.decode()
