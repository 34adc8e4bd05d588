"""The pages that read a conference across its tables: glossary, who can help, recurring topics; with exports."""

from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from results import exports, opendata
from results.glossary import current_glossary
from results.insights import Glossary, actor_index, recurring_topics
from results.models import ActorRule, Card, Conference

GLOSSARY_COLUMNS = ["abbreviation", "meanings", "uncertain", "note", "card_count", "cards", "source_lines"]
ACTOR_COLUMNS = ["actor", "forms", "table_count", "tables", "card_count", "cards"]


def conference_cards(conference):
    """The conference's public cards in document order, with what their links need: one query."""
    return list(
        Card.objects.public()
        .filter(table__conference=conference)
        .select_related("table__conference", "station")
        # The conference's source text is large and not needed: a copy of it for every card.
        .defer("table__conference__source_text")
        .order_by("table__number", "station__number", "position", "pk")
    )


def glossary_rows(conference, glossary, cards):
    """The glossary entries the conference uses (in a card or its source text), each with those cards and lines."""
    cards_of, lines_of = {}, {}
    for card in cards:
        for abbreviation in glossary.find(card.text):
            cards_of.setdefault(abbreviation, []).append(card)
    for number, line in enumerate(conference.source_text.splitlines(), start=1):
        for abbreviation in glossary.find(line):
            lines_of.setdefault(abbreviation, []).append(number)
    return [
        {
            "abbreviation": abbreviation,
            "anchor": Glossary.anchor(abbreviation),
            "meanings": entry.meaning_list,
            "uncertain": entry.uncertain,
            "note": entry.note,
            "cards": cards_of.get(abbreviation, []),
            "source_lines": lines_of.get(abbreviation, []),
        }
        for abbreviation, entry in sorted(glossary.entries.items(), key=lambda item: item[0].casefold())
        if abbreviation in cards_of or abbreviation in lines_of
    ]


def actor_rows(conference, glossary, cards):
    return [
        {
            "name": actor.name,
            "anchor": "akteur-" + slugify(actor.name),
            "forms": actor.forms,
            "tables": list({card.table_id: card.table for card in actor.cards}.values()),
            "cards": actor.cards,
        }
        for actor in actor_index(cards, ActorRule.objects.for_conference(conference), glossary)
    ]


def export(request, conference, name, columns, items, fmt):
    """A CSV (plain or for Excel) or JSON download of items (dicts with the columns), as the cards' exports."""
    response = exports.attachment(f"{conference.slug}-{name}{exports.FILE_ENDINGS[fmt]}")
    if fmt in {"csv", "excel"}:
        exports.write_csv(items, response, columns, excel=fmt == "excel")
    else:
        exports.write_json(conference.slug, items, response, key=name, licence=conference.licence)
    return opendata.export_links(response, request, conference)


def glossary_export_items(rows):
    return [
        {
            "abbreviation": row["abbreviation"],
            "meanings": row["meanings"],
            "uncertain": row["uncertain"],
            "note": row["note"],
            "card_count": len(row["cards"]),
            "cards": [card.pk for card in row["cards"]],
            "source_lines": row["source_lines"],
        }
        for row in rows
    ]


def actor_export_items(rows):
    return [
        {
            "actor": row["name"],
            "forms": row["forms"],
            "table_count": len(row["tables"]),
            "tables": [table.number for table in row["tables"]],
            "card_count": len(row["cards"]),
            "cards": [card.pk for card in row["cards"]],
        }
        for row in rows
    ]


def insight_page(conf, make_rows):
    """The conference, its glossary and the rows make_rows(conference, glossary, cards) gives of its cards."""
    conference = get_object_or_404(Conference, slug=conf)
    glossary = current_glossary(conference)
    return conference, glossary, make_rows(conference, glossary, conference_cards(conference))


@require_safe
def glossary(request, conf, fmt=None):
    """The glossary page, or with fmt its export."""
    conference, glossary, rows = insight_page(conf, glossary_rows)
    if fmt:
        return export(request, conference, "glossar", GLOSSARY_COLUMNS, glossary_export_items(rows), fmt)
    return render(request, "results/glossary.html", {"conference": conference, "glossary": glossary, "rows": rows})


@require_safe
def actors(request, conf, fmt=None):
    """Who can help, or with fmt its export."""
    conference, glossary, rows = insight_page(conf, actor_rows)
    if fmt:
        return export(request, conference, "akteure", ACTOR_COLUMNS, actor_export_items(rows), fmt)
    return render(request, "results/actors.html", {"conference": conference, "glossary": glossary, "rows": rows})


@require_safe
def topics(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    tables = list(conference.tables.all())
    topics = recurring_topics(conference_cards(conference))
    for topic in topics:
        topic.anchor = "thema-" + topic.stem
        topic.cells = [
            {
                "table": table,
                "cards": topic.cards_by_table.get(table.pk, []),
                "anchor": f"{topic.anchor}-{table.number}",
            }
            for table in tables
        ]
        topic.groups = [cell for cell in topic.cells if cell["cards"]]
    return render(
        request,
        "results/topics.html",
        {"conference": conference, "tables": tables, "rows": topics, "glossary": current_glossary(conference)},
    )
