"""The card list with its filters and exports, the open-data page and the search across all conferences."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from results import exports, opendata
from results.filters import QUERY_MAX_LENGTH, CardFilter
from results.glossary import current_glossary
from results.models import Conference, Kind
from results.search import MAX_QUERY_WORDS, current_synonyms, find_places, parse, ranked_page
from results.siteurl import site_root
from results.suggestions import suggestions
from results.views import kind_label, kind_labels

CARDS_PER_PAGE = 50
SEARCH_RESULTS_PER_PAGE = 20


def facet_options(filterset):
    """
    Every facet's choices (as the filter form has them) with how many cards each would give and
    whether it is chosen (as the form cleaned the query: a table asked for by number is its slug).
    """
    counts = filterset.facet_counts()
    form = filterset.form
    cleaned = form.cleaned_data if form.is_valid() else {}
    yes_no = {"ja": True, "nein": False}
    # Per facet: its choices, and what facet_counts() counts each choice under.
    facets = {
        "tisch": (form.fields["tisch"].choices, {slug: number for number, slug, _title in filterset.tables}.get),
        "station": (form.fields["station"].choices, int),
        "art": (form.fields["art"].choices, str),
        "korrigiert": ([("ja", _("ja")), ("nein", _("nein"))], yes_no.get),
    }
    chosen = {name: set(cleaned.get(name) or ()) for name in ["tisch", "station", "art"]}
    chosen["korrigiert"] = {value for value, flag in yes_no.items() if cleaned.get("korrigiert") is flag}
    return [
        {
            "name": name,
            "label": form.fields[name].label,
            "options": [
                {
                    "value": value,
                    "label": label,
                    "count": counts[name].get(count_key(value), 0),
                    "checked": value in chosen[name],
                }
                for value, label in choices
            ],
            "single": name == "korrigiert",  # yes or no, not both
        }
        for name, (choices, count_key) in facets.items()
    ]


@require_safe
def cards(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    filterset = CardFilter(request.GET, conference=conference)
    q = request.GET.get("q", "")
    if not filterset.is_valid():
        return render(
            request,
            "results/cards.html",
            {
                "conference": conference,
                "errors": [error for errors in filterset.errors.values() for error in errors],
                "page": None,
                "facets": [],
                "q": q,
            },
            status=400,
        )
    # The conference's source text is large and not shown here: 50 copies of it made up most of the page query.
    queryset = (
        filterset.qs.with_corrected()
        .select_related("table__conference", "station")
        .defer("table__conference__source_text")
    )
    page = Paginator(queryset, CARDS_PER_PAGE).get_page(request.GET.get("page"))
    labels = kind_labels()
    for card in page:
        card.label = kind_label(card, labels)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "results/cards.html",
        {
            "conference": conference,
            "glossary": filterset.glossary,
            "facets": facet_options(filterset),
            "page": page,
            "q": q,
            "query": filterset.search_query,
            "export_query": export_query.urlencode(),
        },
    )


def too_long_message():
    return _("Der Suchbegriff ist zu lang: Bitte höchstens %(max)s Zeichen eingeben.") % {"max": QUERY_MAX_LENGTH}


@require_safe
def cards_export(request, conf, fmt):
    """The conference's cards, filtered as the card list filters them, as a download in fmt (exports.FILE_ENDINGS)."""
    conference = get_object_or_404(Conference, slug=conf)
    filterset = CardFilter(request.GET, conference=conference)
    if not filterset.is_valid():
        message = " ".join(error for errors in filterset.errors.values() for error in errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    rows = exports.card_rows(filterset.qs, site_root(request))
    response = exports.attachment(f"{conference.slug}-karten{exports.FILE_ENDINGS[fmt]}")
    if fmt in {"csv", "excel"}:
        exports.write_csv(rows, response, excel=fmt == "excel")
    elif fmt == "json":
        exports.write_json(conference.slug, rows, response, licence=conference.licence)
    else:
        exports.write_xlsx(rows, response, licence=conference.licence)
    return opendata.export_links(response, request, conference)


@require_safe
def data(request, conf):
    conference = get_object_or_404(Conference, slug=conf)
    return render(
        request,
        "results/data.html",
        {
            "conference": conference,
            "fields": exports.FIELDS,
            "kinds": [(kind.value, kind.label) for kind in Kind],
            "licence_url": opendata.licence_url(conference),
            "operator": settings.SITE_OPERATOR,
        },
    )


@require_safe
def search(request):
    q = request.GET.get("q", "").strip()
    context = {"q": q, "page": None, "places": None, "suggestions": [], "errors": [], "query": None}
    context["max_words"] = MAX_QUERY_WORDS
    if len(q) > QUERY_MAX_LENGTH:
        context["errors"] = [too_long_message()]
        return render(request, "results/search.html", context, status=400)
    if q:
        glossary = current_glossary()
        query = parse(q, glossary, current_synonyms())
        page = ranked_page(query, request.GET.get("page"), SEARCH_RESULTS_PER_PAGE)
        labels = kind_labels()
        for card in page:
            card.label = kind_label(card, labels)
        places = find_places(query)
        context.update(glossary=glossary, query=query, page=page, places=places)
        if not page.paginator.count and not places and query:
            context["suggestions"] = suggestions(q)
    return render(request, "results/search.html", context)
