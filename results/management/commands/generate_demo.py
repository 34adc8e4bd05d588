import datetime
import random
import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from results import search_index
from results.models import (
    Card,
    ClosingItem,
    Conference,
    Kind,
    ProgrammeItem,
    Report,
    Station,
    TableSlugRedirect,
    TableStation,
    ThemeTable,
)
from results.pagecache import archive_changed
from results.search import index_place, reindex
from results.text import german_slugify

SOURCE = settings.BASE_DIR / "fixtures" / "source" / "regionalkonferenz-winnenden-2019-07-02.txt"
TABLES = 11
STATIONS = {
    1: ("Was läuft gut? Wo hakt es?", [Kind.GUT, Kind.HAKT]),
    2: ("Was sind unsere Ziele? Was soll ein gutes Integrationsmanagement leisten?", [Kind.ZIEL]),
    3: ("Wie können wir diesen Zielen näherkommen? Wer kann helfen?", [Kind.VOR_ORT, Kind.HELFER]),
}
JOINERS = ["und", "für", "mit", "bei", "durch", "statt", "ohne", "zwischen", "vor Ort", "im Landkreis", "→"]
# fmt: off
FALLBACK_WORDS = [
    "Integration", "Wohnraum", "Sprachkurse", "Ehrenamt", "Jobcenter", "Netzwerk", "Dolmetscher", "Kommune", "Beratung"
]
# fmt: on


def vocabulary():
    """Words of the real document, so demo cards read like real ones and hit the same search terms."""
    try:
        text = SOURCE.read_text(encoding="utf-8")
    except OSError:
        return FALLBACK_WORDS
    words = sorted(set(re.findall(r"\b[A-ZÄÖÜ][a-zäöüß]{4,}(?:-[A-ZÄÖÜ]?[a-zäöüß]+)?\b", text)))
    return words or FALLBACK_WORDS


class Command(BaseCommand):
    help = "Create synthetic demo conferences (marked as demo) for load tests, or remove all demo data."

    def add_arguments(self, parser):
        parser.add_argument("--conferences", type=int, default=1, help="How many demo conferences to add.")
        parser.add_argument("--cards", type=int, default=500, help="About how many cards per conference.")
        parser.add_argument("--seed", type=int, default=2019)
        parser.add_argument("--remove", action="store_true", help="Delete every demo conference and its data.")

    def handle(self, *args, conferences, cards, seed, remove, **options):
        if remove:
            count = remove_demo()
            self.stdout.write(f"Removed {count} demo conferences.")
            return
        if conferences < 1 or cards < 1:
            raise CommandError("--conferences and --cards must be at least 1.")
        created = generate_demo(conferences, cards, random.Random(seed))
        total = Card.objects.filter(table__conference__in=created).count()
        self.stdout.write(f"Created {len(created)} demo conferences with {total} cards.")


def sentence(rng, words, low=3, high=12):
    parts = []
    for _ in range(rng.randint(low, high)):
        parts.append(rng.choice(words) if rng.random() > 0.25 else rng.choice(JOINERS))
    return " ".join(parts)


def generate_demo(count, cards_per_conference, rng):
    words = vocabulary()
    start = Conference.objects.filter(is_demo=True).count() + 1
    created = []
    with transaction.atomic():
        for number in range(start, start + count):
            created.append(_generate_conference(number, cards_per_conference, rng, words))
        reindex(Card.objects.filter(table__conference__in=created))
        for model in (ThemeTable, Station, ProgrammeItem):
            for instance in model.objects.filter(conference__in=created):
                index_place(instance)
    # bulk_create sends no signals: say once that the data changed.
    archive_changed()
    return created


def _generate_conference(number, cards_per_conference, rng, words):
    slug = f"demo-{number}"
    while Conference.objects.filter(slug=slug).exists():
        number += 1000
        slug = f"demo-{number}"
    conference = Conference.objects.create(
        slug=slug,
        title=f"Demo-Konferenz {number} (Demodaten)",
        subtitle="Synthetische Daten für Last- und Leistungstests, keine echten Ergebnisse",
        date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
        venue="Demohalle",
        city="Demostadt",
        source_document="demo.pdf",
        is_demo=True,
    )
    programme = ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            conference=conference,
            position=position,
            start=datetime.time(9 + position),
            title=f"Demo: Station {position}" if position <= 3 else "Demo: Ausblick",
        )
        for position in range(1, 5)
    )
    stations = Station.objects.bulk_create(
        Station(conference=conference, number=station, question=question, programme_item=programme[station - 1])
        for station, (question, _kinds) in STATIONS.items()
    )
    tables = []
    titles = set()
    for table_number in range(1, TABLES + 1):
        title = f"Demo {table_number}: {' und '.join(rng.sample(words, 2))}"
        while german_slugify(title) in titles:
            title += f" {table_number}"
        titles.add(german_slugify(title))
        tables.append(ThemeTable(conference=conference, number=table_number, title=title, slug=german_slugify(title)))
    tables = ThemeTable.objects.bulk_create(tables)
    table_stations = []
    for table in tables:
        for station in stations:
            # One station in twelve is, as in the real document, only a photo.
            status = TableStation.Status.PHOTO if rng.random() < 1 / 12 else TableStation.Status.TEXT
            table_stations.append(TableStation(table=table, station=station, status=status))
    TableStation.objects.bulk_create(table_stations)
    ClosingItem.objects.bulk_create(
        ClosingItem(conference=conference, position=position, text=sentence(rng, words)) for position in range(1, 6)
    )
    with_text = [ts for ts in table_stations if ts.status == TableStation.Status.TEXT]
    per_station = max(1, cards_per_conference // len(with_text))
    cards = []
    for table_station in with_text:
        kinds = STATIONS[table_station.station.number][1]
        for position in range(1, per_station + 1):
            kind = Kind.SONSTIGES if rng.random() < 0.04 else rng.choice(kinds)
            text = sentence(rng, words)
            cards.append(
                Card(
                    table=table_station.table,
                    station=table_station.station,
                    kind=kind,
                    heading="Demo: weitere Punkte" if kind == Kind.SONSTIGES else "",
                    text=text,
                    original_text=text,
                    position=position,
                    origin=Card.Origin.DOCUMENT,
                )
            )
    Card.objects.bulk_create(cards, batch_size=500)
    return conference


def remove_demo():
    """Delete every demo conference with everything that belongs to it, and its history, in one transaction."""
    demo = Conference.objects.filter(is_demo=True)
    count = demo.count()
    with transaction.atomic():
        cards = Card.objects.filter(table__conference__in=demo)
        Report.objects.filter(card__in=cards).update(card=None)
        # Raw deletes: the collector would send a signal, and write a history
        # row, for each of tens of thousands of cards.
        search_index.delete_cards(connection, cards.values_list("pk", flat=True))
        for kind, model in [("t", ThemeTable), ("s", Station), ("p", ProgrammeItem)]:
            for pk in model.objects.filter(conference__in=demo).values_list("pk", flat=True):
                search_index.write_place(connection, kind, pk, [])
        querysets = [
            cards,
            TableStation.objects.filter(table__conference__in=demo),
            TableSlugRedirect.objects.filter(conference__in=demo),
            ThemeTable.objects.filter(conference__in=demo),
            Station.objects.filter(conference__in=demo),
            ProgrammeItem.objects.filter(conference__in=demo),
            ClosingItem.objects.filter(conference__in=demo),
        ]
        history = [
            Card.history.filter(table__conference__in=demo),
            ThemeTable.history.filter(conference__in=demo),
            Station.history.filter(conference__in=demo),
            TableStation.history.filter(table__conference__in=demo),
            ProgrammeItem.history.filter(conference__in=demo),
            ClosingItem.history.filter(conference__in=demo),
            Conference.history.filter(is_demo=True),
        ]
        for queryset in [*history, *querysets]:
            # Keys first: the filters join tables whose rows go in an earlier step.
            pks = list(queryset.values_list("pk", flat=True))
            for start in range(0, len(pks), 5000):
                queryset.model._base_manager.filter(pk__in=pks[start : start + 5000])._raw_delete(queryset.db)
        demo_pks = list(demo.values_list("pk", flat=True))
        Conference.objects.filter(pk__in=demo_pks)._raw_delete(demo.db)
    archive_changed()
    return count
