from django.urls import path

from results import (
    changelog,
    feedback,
    import_template,
    opendata,
    pages,
    views,
    views_cards,
    views_insights,
    views_photos,
    views_site,
)

app_name = "results"

# Fixed words and int routes come before slug routes: Django's slug converter
# also matches "suche" and "7".
urlpatterns = [
    path("", views.home, name="home"),
    path("suche/", views_cards.search, name="search"),
    path("melden/", feedback.report, name="feedback"),
    path("barrierefreiheit/", pages.accessibility, name="accessibility"),
    path("leichte-sprache/", pages.easy_language, name="easy-language"),
    path("impressum/", pages.imprint, name="imprint"),
    path("<slug:conf>/", views.conference, name="conference"),
    path("<slug:conf>/melden/", feedback.report, name="report"),
    path("<slug:conf>/karten/", views_cards.cards, name="cards"),
    path("<slug:conf>/karten.csv", views_cards.cards_export, {"fmt": "csv"}, name="cards-csv"),
    path("<slug:conf>/karten-excel.csv", views_cards.cards_export, {"fmt": "excel"}, name="cards-excel-csv"),
    path("<slug:conf>/karten.xlsx", views_cards.cards_export, {"fmt": "xlsx"}, name="cards-xlsx"),
    path("<slug:conf>/karten.json", views_cards.cards_export, {"fmt": "json"}, name="cards-json"),
    path("<slug:conf>/fotos.json", views_photos.photos_json, name="photos-json"),
    path("<slug:conf>/daten/", views_cards.data, name="data"),
    path("<slug:conf>/datapackage.json", opendata.datapackage_json, name="datapackage"),
    path("<slug:conf>/daten.jsonld", opendata.dcat_jsonld, name="dcat"),
    path("<slug:conf>/daten/vorlage.xlsx", import_template.template_view, name="data-template"),
    path("<slug:conf>/quelle/", views.source, name="source"),
    path("<slug:conf>/glossar/", views_insights.glossary, name="glossary"),
    path("<slug:conf>/glossar.csv", views_insights.glossary, {"fmt": "csv"}, name="glossary-csv"),
    path("<slug:conf>/glossar-excel.csv", views_insights.glossary, {"fmt": "excel"}, name="glossary-excel-csv"),
    path("<slug:conf>/glossar.json", views_insights.glossary, {"fmt": "json"}, name="glossary-json"),
    path("<slug:conf>/akteure/", views_insights.actors, name="actors"),
    path("<slug:conf>/akteure.csv", views_insights.actors, {"fmt": "csv"}, name="actors-csv"),
    path("<slug:conf>/akteure-excel.csv", views_insights.actors, {"fmt": "excel"}, name="actors-excel-csv"),
    path("<slug:conf>/akteure.json", views_insights.actors, {"fmt": "json"}, name="actors-json"),
    path("<slug:conf>/themen/", views_insights.topics, name="topics"),
    path("<slug:conf>/aenderungen/", changelog.change_log, name="changes"),
    path("<slug:conf>/aenderungen.atom", changelog.ChangeFeed(), name="changes-feed"),
    path("<slug:conf>/stationen/<int:number>/", views.station, name="station"),
    path("<slug:conf>/tische/<int:number>/", views.table_short, name="table-short"),
    path("<slug:conf>/tische/<slug:slug>/", views.table, name="table"),
    path("<slug:conf>/tische/<slug:slug>/qr.svg", views_site.table_qr, name="table-qr"),
    path("<slug:conf>/tische/<slug:slug>/aushang/", views_site.table_sign, name="table-sign"),
    # Every prefix of a public URL is a page (or a redirect): someone shortening a printed link lands somewhere.
    path("<slug:conf>/tische/", views_site.tables, name="tables"),
    path("<slug:conf>/stationen/", views_site.stations, name="stations"),
    path("<slug:conf>/aushaenge/", views_site.signs, name="signs"),
    path("<slug:conf>/tische/<slug:slug>/qr.png", views_site.table_qr_png, name="table-qr-png"),
]
