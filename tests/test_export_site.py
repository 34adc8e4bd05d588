import posixpath
import re
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


@pytest.fixture
def site(tmp_path):
    """The offline copy of the real conference: {path inside the copy: bytes}."""
    output = tmp_path / "archiv.zip"
    stdout = StringIO()
    call_command("export_site", "--conference", "winnenden-2019", "--output", str(output), stdout=stdout)
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        folder = names[0].split("/")[0]
        files = {name.removeprefix(folder + "/"): archive.read(name) for name in names}
    return files, folder, stdout.getvalue()


def links(html):
    return re.findall(r'(?:href|src)="([^"]*)"', html)


@pytest.mark.django_db
def test_export_site_writes_every_public_page_of_the_conference(site):
    files, folder, stdout = site

    assert re.fullmatch(r"winnenden-2019-offline-\d{4}-\d{2}-\d{2}", folder)
    assert stdout.startswith(f"Wrote {len(files)} files of winnenden-2019 to ")
    tables = sorted(name.split("/")[1] for name in files if re.fullmatch(r"tische/[^/]+/index\.html", name))
    assert len(tables) == 11
    for name in ["index.html", "glossar/index.html", "akteure/index.html", "themen/index.html", "daten/index.html",
                 "quelle/index.html", "quelle.txt", "stationen/3/index.html", "static/css/site.css", "offline.html",
                 "karten.csv", "karten.json", "karten.xlsx", "glossar.csv", "akteure.json",
                 f"tische/{tables[0]}/qr.svg", f"tische/{tables[0]}/aushang/index.html"]:  # fmt: skip
        assert name in files, name


@pytest.mark.django_db
def test_export_site_links_are_relative_and_lead_to_files_in_the_copy(site):
    files, _folder, _stdout = site

    for name, content in files.items():
        if not name.endswith(".html"):
            continue
        for url in links(content.decode()):
            if url.startswith(("#", "http://", "https://", "mailto:", "data:")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), url.split("#")[0]))
            assert not url.startswith("/"), (name, url)
            assert target in files, (name, url)


@pytest.mark.django_db
def test_export_site_says_when_it_was_made_and_leaves_out_what_needs_a_server(site):
    files, folder, _stdout = site
    html = {name: content.decode() for name, content in files.items() if name.endswith(".html")}

    assert all('<p class="offline-banner" role="note">Offline-Kopie vom ' in page for page in html.values())
    assert not any("<form" in page for page in html.values())
    assert '<li><a href="offline.html">Karten</a></li>' in html["index.html"]
    assert "<h1>Diese Seite braucht einen Server</h1>" in html["offline.html"]
    day = folder.rsplit("offline-", 1)[1]
    year, _month, date = day.split("-")
    assert f"Offline-Kopie vom {int(date)}." in html["index.html"] and year in html["index.html"]


@pytest.mark.django_db
def test_export_site_keeps_short_links_online_and_maps_them_offline(site):
    files, _folder, _stdout = site
    table = files["tische/rahmenbedingungen/index.html"].decode()

    assert '<a class="url" href="http://testserver/winnenden-2019/tische/11/">' in table
    assert 'href="../../stationen/1/index.html#tisch-11"' in table
    assert files["karten.csv"].decode().splitlines()[0].startswith("id,conference,table,table_title")


@pytest.mark.django_db
def test_export_site_unknown_conference_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No conference with the slug 'gibt-es-nicht'"):
        call_command("export_site", "--conference", "gibt-es-nicht", "--output", str(tmp_path / "x.zip"))

    assert not (tmp_path / "x.zip").exists()


@pytest.mark.django_db
def test_export_site_refuses_a_foreign_host(tmp_path):
    with pytest.raises(CommandError, match="no address of this archive"):
        call_command(
            "export_site", "--conference", "winnenden-2019", "--output", str(tmp_path / "x.zip"),
            "--base-url", "https://example.invalid",
        )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("base_url", ["ftp://localhost", "localhost:8000", "http://[::1]:8000"])
def test_export_site_refuses_what_is_no_http_address_of_the_archive(tmp_path, base_url):
    with pytest.raises(CommandError, match="no address of this archive"):
        call_command(
            "export_site", "--conference", "winnenden-2019", "--output", str(tmp_path / "x.zip"),
            "--base-url", base_url,
        )  # fmt: skip


@pytest.mark.django_db
def test_export_site_holds_the_photos_and_the_pdf(tmp_path, media):
    from django.core.files.base import ContentFile

    from results.models import Conference
    from results.photos import Photo
    from tests import images

    conference = Conference.objects.get(slug="winnenden-2019")
    conference.source_pdf.save("doku.pdf", ContentFile(b"%PDF-1.7\nInhalt"))
    table_station = conference.tables.get(number=1).table_stations.get(station__number=2)
    photo = Photo(table_station=table_station, alt_text="Flipchart", image=images.upload(images.photo(1200, 900)))
    photo.full_clean()
    photo.save()
    output = tmp_path / "archiv.zip"

    call_command("export_site", "--conference", "winnenden-2019", "--output", str(output), stdout=StringIO())

    with zipfile.ZipFile(output) as archive:
        folder = archive.namelist()[0].split("/")[0]
        files = {name.removeprefix(folder + "/"): archive.read(name) for name in archive.namelist()}
    for name in photo.file_names():
        assert files["media/" + name] == (media / name).read_bytes()
    assert files["media/" + conference.source_pdf.name] == b"%PDF-1.7\nInhalt"
    assert "fotos.json" in files
    page = next(
        name for name in files if re.fullmatch(r"tische/[^/]+/index\.html", name) and b"station-photos" in files[name]
    )
    html = files[page].decode()
    candidates = re.findall(r'srcset="([^"]*)"', html)
    assert candidates
    for srcset in candidates:
        for candidate in srcset.split(", "):
            url = candidate.split(" ")[0]
            assert posixpath.normpath(posixpath.join(posixpath.dirname(page), url)) in files, url


@pytest.mark.django_db
def test_export_site_links_to_the_site_url_by_default(tmp_path, settings):
    settings.SITE_URL = "https://archiv.example.org"
    settings.ALLOWED_HOSTS = ["archiv.example.org", "localhost"]
    output = tmp_path / "archiv.zip"

    call_command("export_site", "--conference", "winnenden-2019", "--output", str(output), stdout=StringIO())

    with zipfile.ZipFile(output) as archive:
        (note,) = [archive.read(name).decode() for name in archive.namelist() if name.endswith("/offline.html")]
    assert '<a href="https://archiv.example.org/winnenden-2019/">Das Archiv online</a>' in note


@pytest.mark.django_db
def test_export_site_works_outside_debug_whatever_the_allowed_hosts(tmp_path, settings):
    # Production as deployed: no debug, HTTPS redirects, and hosts that do not include the copy's address.
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    for hosts in ([], ["archiv.example.org"]):
        settings.ALLOWED_HOSTS = hosts
        output = tmp_path / f"copy-{len(hosts)}.zip"

        call_command("export_site", "--conference", "winnenden-2019", "--output", str(output), stdout=StringIO())

        with zipfile.ZipFile(output) as archive:
            pages = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}
        assert len([name for name in pages if re.fullmatch(r"tische/[^/]+/index\.html", name)]) == 11
        assert "Dolmetscher" in pages["stationen/1/index.html"].decode()
