"""Small factories: plain functions creating model instances with sensible defaults."""

import datetime
import itertools

from results.models import Card, ClosingItem, Conference, ProgrammeItem, Station, TableStation, ThemeTable

_sequence = itertools.count(1)


def make_conference(**fields):
    number = next(_sequence)
    defaults = {
        "slug": f"testkonferenz-{number}",
        "title": f"Testkonferenz {number}",
        "date": datetime.date(2020, 5, 4),
        "venue": "Stadthalle",
        "city": "Teststadt",
        "source_document": "testkonferenz.pdf",
        "source_text": "Testkonferenz\nThementisch: Wohnen\n• Mehr Wohnraum\n",
    }
    return Conference.objects.create(**(defaults | fields))


def make_programme_item(conference, **fields):
    position = fields.pop("position", None) or conference.programme.count() + 1
    defaults = {"start": datetime.time(9 + position, 0), "title": f"Programmpunkt {position}"}
    return ProgrammeItem.objects.create(conference=conference, position=position, **(defaults | fields))


def make_station(conference, number, **fields):
    defaults = {"question": f"Frage der Station {number}?"}
    return Station.objects.create(conference=conference, number=number, **(defaults | fields))


def make_table(conference, number, **fields):
    defaults = {"title": f"Thementisch {number}"}
    return ThemeTable.objects.create(conference=conference, number=number, **(defaults | fields))


def make_table_station(table, station, **fields):
    return TableStation.objects.create(table=table, station=station, **fields)


def make_card(table, station, **fields):
    text = fields.pop("text", "Eine Karte")
    defaults = {
        "kind": "gut",
        "original_text": text,
        "origin": Card.Origin.DOCUMENT,
        "position": Card.objects.filter(table=table, station=station).count() + 1,
        # A withdrawn card needs a reason (Card.clean).
        "withdrawn_reason": "Test" if fields.get("withdrawn") else "",
    }
    return Card.objects.create(table=table, station=station, text=text, **(defaults | fields))


def make_closing_item(conference, position, text):
    return ClosingItem.objects.create(conference=conference, position=position, text=text)


def make_world_cafe(tables=1, cards_per_station=1, stations=3, **conference_fields):
    """A conference with `tables` tables, `stations` stations and cards at every station of every table."""
    conference = make_conference(**conference_fields)
    station_list = [make_station(conference, number) for number in range(1, stations + 1)]
    table_list = []
    for number in range(1, tables + 1):
        table = make_table(conference, number)
        table_list.append(table)
        for station in station_list:
            make_table_station(table, station)
            for index in range(cards_per_station):
                make_card(table, station, text=f"Karte {index + 1} an Tisch {number}, Station {station.number}")
    return conference, table_list, station_list
