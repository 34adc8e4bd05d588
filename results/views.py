from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from results.filters import ConferenceFilter
from results.glossary import current_glossary
from results.models import (
    Card,
    Conference,
    Kind,
    TableSlugRedirect,
    TableStation,
    ThemeTable,
)
from results.photos import photos_by_station
from results.siteurl import absolute_url

CONFERENCES_PER_PAGE = 20


def kind_labels():
    """Kind code -> label in the active language."""
    return {kind.value: str(kind.label) for kind in Kind}


def kind_label(card, labels):
    """The heading a card is listed under: its own for "sonstiges" (when it has one), else its kind's label."""
    return card.heading if card.kind == Kind.SONSTIGES and card.heading else labels[card.kind]


def card_tree(cards):
    """Attach each card's children as `child_list`; return the top-level cards in order."""
    by_id = {card.pk: card for card in cards}
    top = []
    for card in cards:
        card.child_list = []
    for card in cards:
        parent = by_id.get(card.parent_id)
        if parent is None:
            top.append(card)
        else:
            parent.child_list.append(card)
    return top


def group_cards(cards, key):
    """
    Group top-level cards by `key(card)` (e.g. the station), then under their kind's
    label, both in order of first appearance: {key: [{"kind", "label", "cards"}, ...]}.
    """
    labels = kind_labels()
    grouped = {}
    for card in card_tree(cards):
        label = kind_label(card, labels)
        groups = grouped.setdefault(key(card), {})
        group = groups.setdefault((card.kind, label), {"kind": card.kind, "label": label, "cards": []})
        group["cards"].append(card)
    return {k: list(groups.values()) for k, groups in grouped.items()}


def station_state(table_station, has_cards):
    """What the page says about one station of one table: "text", "transcribed", "photo", "missing", "empty"."""
    if table_station is None or table_station.status == TableStation.Status.MISSING:
        return "missing" if not has_cards else "text"
    if has_cards:
        return table_station.status
    if table_station.status == TableStation.Status.PHOTO:
        return "photo"
    return "empty"


def find_table(conf, slug, url_name):
    """The table for (conf, slug), or a 301 response when the slug was renamed; 404 otherwise."""
    tables = ThemeTable.objects.select_related("conference").defer("conference__source_text")
    table = tables.filter(conference__slug=conf, slug=slug).first()
    if table is not None:
        return table, None
    moved = (
        TableSlugRedirect.objects.filter(conference__slug=conf, old_slug=slug).values_list("table__slug", flat=True)
    ).first()
    if moved is None:
        raise Http404(_("Diesen Thementisch gibt es nicht."))
    return None, redirect(reverse(url_name, kwargs={"conf": conf, "slug": moved}), permanent=True)


@require_safe
def home(request):
    # Newest first, a page at a time: the archive may hold a thousand conferences.
    conferences = Conference.objects.only("slug", "title", "subtitle", "date", "venue", "city").order_by(
        "-date", "slug"
    )
    filterset = ConferenceFilter(request.GET, queryset=conferences)
    page = Paginator(filterset.qs, CONFERENCES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    if page.object_list:
        # Counted for this page's conferences only, in one query.
        counts = {
            row["conference"]: row
            for row in ThemeTable.objects.filter(conference__in=[conference.pk for conference in page.object_list])
            .values("conference")
            .annotate(tables=Count("pk", distinct=True), cards=Count("cards", filter=Q(cards__withdrawn=False)))
            .order_by()
        }
        for conference in page.object_list:
            row = counts.get(conference.pk, {})
            conference.table_count, conference.card_count = row.get("tables", 0), row.get("cards", 0)
    valid = filterset.is_valid()
    context = {
        "page": page,
        "filter_form": filterset.form,
        "errors": [error for errors in filterset.errors.values() for error in errors],
        "filtered": valid and any(filterset.form.cleaned_data.values()),
    }
    return render(request, "results/home.html", context, status=200 if valid else 400)


@require_safe
def conference(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    programme = list(conference.programme.all())
    stations = list(conference.stations.select_related("programme_item"))
    tables = list(conference.tables.for_overview(stations))
    state_of = {
        (ts.table_id, ts.station_id): ts
        for ts in TableStation.objects.filter(table__conference=conference).only("table", "station", "status")
    }
    for table in tables:
        table.cells = []
        for index, station in enumerate(stations):
            count = getattr(table, f"count_{index}")
            table.cells.append(
                {
                    "station": station,
                    "count": count,
                    "state": station_state(state_of.get((table.pk, station.pk)), count),
                }
            )
    return render(
        request,
        "results/conference.html",
        {
            "conference": conference,
            "programme": programme,
            "stations": stations,
            "tables": tables,
            "closing_items": list(conference.closing_items.all()),
        },
    )


@require_safe
def table_short(request, conf, number):
    tables = ThemeTable.objects.select_related("conference").only("slug", "conference__slug")
    table = get_object_or_404(tables, conference__slug=conf, number=number)
    return redirect(table, permanent=True)


class ConferenceParts:
    """What every page of one conference needs besides its cards; see conference_parts()."""

    def __init__(self, conference):
        self.conference = conference
        self.tables = list(conference.tables.all())
        self.tables_by_slug = {table.slug: table for table in self.tables}
        self.stations = list(conference.stations.all())
        self.table_stations = {
            (ts.table_id, ts.station_id): ts for ts in TableStation.objects.filter(table__conference=conference)
        }
        self.glossary = current_glossary(conference)
        self.photos, self.general_photos = photos_by_station(conference)


def conference_parts(slug):
    """The ConferenceParts of the conference with slug, or None if there is none."""
    # The source text is large and only the source page shows it.
    conference = Conference.objects.defer("source_text").filter(slug=slug).first()
    return ConferenceParts(conference) if conference is not None else None


def card_links(conference):
    """The conference's pages each card links to: its line in the source, the report form."""
    kwargs = {"conf": conference.slug}
    return {
        "source_url": reverse("results:source", kwargs=kwargs),
        "report_url": reverse("results:report", kwargs=kwargs),
    }


def public_cards(parts, **lookup):
    """
    The public cards of one table or station (lookup: table=... or station=...) in document order,
    their table and station taken from conference_parts.
    """
    tables = {table.pk: table for table in parts.tables}
    stations = {station.pk: station for station in parts.stations}
    cards = list(Card.objects.public().filter(**lookup))
    for card in cards:
        card.table = tables[card.table_id]
        card.station = stations[card.station_id]
        card.is_corrected = card.corrected
    # A corrected card shows why: the reason of its latest text change that gave one (a query only when there are
    # any). Only text changes count, as in changelog.change_kind: a withdrawal or republication is no correction.
    corrected = [card.pk for card in cards if card.is_corrected]
    records = (
        Card.history.filter(id__in=corrected)
        .order_by("id", "history_id")
        .values_list("id", "text", "history_change_reason")
        if corrected
        else []
    )
    reasons, previous = {}, (None, None)
    for pk, text, reason in records:
        if pk == previous[0] and text != previous[1] and reason:
            reasons[pk] = reason
        previous = (pk, text)
    for card in cards:
        card.correction_reason = reasons.get(card.pk, "")
    cards.sort(key=lambda card: (card.table.number, card.station.number, card.position, card.pk))
    return cards


def sections(parts, table=None, station=None):
    """
    (number of cards, sections) of a table's page (one section per station, linking to the
    station's page) or of a station's page (one per table, linking to the table's page).
    """
    # (table, station, the page the section links to)
    if table is not None:
        cards = public_cards(parts, table=table)
        pairs = [(table, other, other) for other in parts.stations]
    else:
        cards = public_cards(parts, station=station)
        pairs = [(other, station, other) for other in parts.tables]
    groups = group_cards(cards, key=lambda card: (card.table_id, card.station_id))
    result = []
    for table, station, linked in pairs:
        table_station = parts.table_stations.get((table.pk, station.pk))
        cell_groups = groups.get((table.pk, station.pk), [])
        result.append(
            {
                "table": table,
                "station": station,
                "url": linked.get_absolute_url(),
                "question": (table_station.heading if table_station else "") or station.question,
                "state": station_state(table_station, bool(cell_groups)),
                "groups": cell_groups,
                "photos": parts.photos.get(table_station.pk, []) if table_station else [],
            }
        )
    return len(cards), result


@require_safe
def table(request, conf, slug):
    parts = conference_parts(conf)
    table = parts.tables_by_slug.get(slug) if parts is not None else None
    if table is None:
        # A renamed slug: 301 to the new one (find_table() raises 404 for an unknown one).
        return find_table(conf, slug, "results:table")[1]
    position = parts.tables.index(table)
    card_count, table_sections = sections(parts, table=table)
    return render(
        request,
        "results/table.html",
        {
            "conference": parts.conference,
            "table": table,
            "sections": table_sections,
            "previous": parts.tables[position - 1] if position > 0 else None,
            "next": parts.tables[position + 1] if position + 1 < len(parts.tables) else None,
            **card_links(parts.conference),
            "short_url": absolute_url(request, table.get_short_url()),
            "card_count": card_count,
            "glossary": parts.glossary,
        },
    )


@require_safe
def station(request, conf, number):
    parts = conference_parts(conf)
    station = next((station for station in parts.stations if station.number == number), None) if parts else None
    if station is None:
        raise Http404
    card_count, station_sections = sections(parts, station=station)
    return render(
        request,
        "results/station.html",
        {
            "conference": parts.conference,
            "station": station,
            "sections": station_sections,
            "other_stations": [other for other in parts.stations if other.pk != station.pk],
            **card_links(parts.conference),
            "card_count": card_count,
            "glossary": parts.glossary,
        },
    )


@require_safe
def source(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    lines = conference.source_text.splitlines()
    return render(request, "results/source.html", {"conference": conference, "lines": lines})
